package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a database node says of its MariaDB Galera cluster (wsrep), as one connection sees it: how many nodes, this
 * node's state, whether it is in the primary component, and how this session's DDL replicates. Anything else
 * (plain MariaDB, MySQL, PostgreSQL) is {@link #NONE}. Immutable.
 */
public final class ClusterState {

    /** Not a cluster: a plain server, or one whose replication is off. */
    public static final ClusterState NONE = new ClusterState(false, 0, null, false, false, null, false);

    /** The node state in which it applies every write in order with the others: the only one to upgrade from. */
    static final String SYNCED = "Synced";
    /** The schema upgrade method that replicates DDL to every node, in the same order (total order isolation). */
    static final String TOI = "TOI";

    // Galera's status names; plain MariaDB reports them too (an empty provider, Disconnected), MySQL has none.
    private static final String STATUS = "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_provider_name',"
            + " 'wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_ready', 'wsrep_local_state_comment')";
    // Session values: a pool's init SQL or the JDBC URL may set either for the webapp's connections only.
    private static final String VARIABLES = "SHOW SESSION VARIABLES WHERE Variable_name IN ('wsrep_on', 'wsrep_OSU_method')";

    private final boolean cluster;
    private final int size;
    private final String nodeState;
    private final boolean primary;
    private final boolean ready;
    private final String osuMethod;
    private final boolean replicating;

    /**
     * A node as {@link #read} finds it; public for tests of what is shown and refused.
     *
     * @param ready whether the node accepts queries ({@code wsrep_ready})
     * @param replicating whether this session's writes replicate ({@code wsrep_on})
     */
    public ClusterState(boolean cluster, int size, String nodeState, boolean primary, boolean ready, String osuMethod,
                 boolean replicating) {
        this.cluster = cluster;
        this.size = size;
        this.nodeState = nodeState;
        this.primary = primary;
        this.ready = ready;
        this.osuMethod = osuMethod;
        this.replicating = replicating;
    }

    /**
     * Reads the node's wsrep status, and its session's variables when it is a cluster: one round trip on a
     * server that is none, two on a Galera node. Both are SHOW statements, which a node outside the primary
     * component still answers.
     */
    public static ClusterState read(Connection connection) throws SQLException {
        if (Dialect.of(connection).postgres()) {
            return NONE;
        }
        try (Statement statement = connection.createStatement()) {
            Map<String, String> status = values(statement, STATUS);
            String provider = status.get("wsrep_provider_name");
            if (provider == null || provider.isEmpty()) {
                return NONE;
            }
            Map<String, String> variables = values(statement, VARIABLES);
            return new ClusterState(true, number(status.get("wsrep_cluster_size")),
                    status.get("wsrep_local_state_comment"), "Primary".equalsIgnoreCase(status.get("wsrep_cluster_status")),
                    on(status.get("wsrep_ready")), variables.get("wsrep_osu_method"), on(variables.get("wsrep_on")));
        }
    }

    private static Map<String, String> values(Statement statement, String show) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (ResultSet rows = statement.executeQuery(show)) {
            while (rows.next()) {
                values.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getString(2));
            }
        }
        return values;
    }

    private static boolean on(String value) {
        return "ON".equalsIgnoreCase(value) || "1".equals(value);
    }

    private static int number(String value) {
        try {
            return value == null ? 0 : Integer.parseInt(value.trim());
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    /** Whether the node belongs to a Galera cluster. */
    public boolean cluster() {
        return cluster;
    }

    /** How many nodes the node's component has ({@code wsrep_cluster_size}); 0 for {@link #NONE}. */
    public int size() {
        return size;
    }

    /** The node's state as Galera words it: Synced, Donor/Desynced, Joining...; {@code null} for {@link #NONE}. */
    public String nodeState() {
        return nodeState;
    }

    /** Whether the node is in the primary component, the one with a quorum that may write. */
    public boolean primary() {
        return primary;
    }

    /** This session's schema upgrade method: TOI, RSU...; {@code null} for {@link #NONE}. */
    public String osuMethod() {
        return osuMethod;
    }

    /**
     * Why the node answers no queries, or {@code null} when it does: outside the primary component (it lost its
     * quorum), or not ready (a joiner during state transfer). It comes back by itself once it rejoins.
     */
    public String unavailable() {
        if (!cluster) {
            return null;
        }
        if (!primary) {
            return "this node of the Galera cluster is outside the primary component (its component of " + size
                    + (size == 1 ? " node" : " nodes") + " has no quorum) and answers no queries until it rejoins";
        }
        return ready ? null : "this node of the Galera cluster is not ready for queries (wsrep_ready=OFF, state "
                + nodeState + ")";
    }

    /**
     * Why an upgrade must not start from this node and session, or {@code null} when it may: a node that is
     * not Synced applies the others' writes late or not at all, and DDL that is not replicated in total order
     * (wsrep_OSU_method other than TOI, or wsrep_on=OFF) would change this node's schema only.
     */
    public String refusal() {
        if (!cluster) {
            return null;
        }
        String unavailable = unavailable();
        if (unavailable != null) {
            return unavailable;
        }
        if (!SYNCED.equalsIgnoreCase(nodeState)) {
            return "this node of the Galera cluster is " + nodeState + ", not Synced (a donor or joiner of a state"
                    + " transfer, or desynchronised by wsrep_desync): start the upgrade through a Synced node, or"
                    + " once this one is Synced again";
        }
        if (!replicating) {
            return "wsrep_on is OFF for the webapp's connections: the upgrade's changes would stay on this node of the"
                    + " Galera cluster; remove that setting from the connection's configuration";
        }
        if (!TOI.equalsIgnoreCase(osuMethod)) {
            return "wsrep_OSU_method is " + osuMethod + " for the webapp's connections: the upgrade's DDL would change"
                    + " this node of the Galera cluster only; set it to TOI";
        }
        return null;
    }

    /** "Galera cluster of 3 nodes, this node Synced", or "not a cluster". */
    @Override
    public String toString() {
        if (!cluster) {
            return "not a cluster";
        }
        return "Galera cluster of " + size + (size == 1 ? " node" : " nodes") + ", this node " + nodeState
                + (primary ? "" : ", outside the primary component") + ", wsrep_OSU_method=" + osuMethod;
    }
}
