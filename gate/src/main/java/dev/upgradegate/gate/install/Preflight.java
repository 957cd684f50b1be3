package dev.upgradegate.gate.install;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.upgradegate.migrations.ClusterState;
import dev.upgradegate.migrations.Dialect;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * What the overview checks before an upgrade may start, and the CLI's {@code doctor} too. Read-only: it creates
 * nothing to find out.
 */
public final class Preflight {

    /** One check's outcome. */
    public static final class Check {
        public final String name;
        public final boolean passed;
        public final String detail;

        Check(String name, boolean passed, String detail) {
            this.name = name;
            this.passed = passed;
            this.detail = detail;
        }
    }

    private static final String PRIVILEGES = "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?"
            + " UNION SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES"
            + " WHERE GRANTEE = ? AND DATABASE() LIKE TABLE_SCHEMA";

    private Preflight() {
    }

    public static List<Check> run(WebappParts gate) {
        List<Check> checks = new ArrayList<>();
        try {
            gate.database().withConnection(connection -> {
                checks.add(new Check("Database reachable", true, "connected to " + connection.getCatalog()));
                cluster(connection, checks);
                boolean held = UpgradeLock.isHeld(connection, gate.hostSettings().lockStaleSeconds());
                checks.add(new Check("Upgrade lock free", !held, held
                        ? "another upgrade of this database is running (here or on another node)" : "no upgrade is running"));
                checks.add(Dialect.of(connection).postgres() ? postgresPrivileges(connection) : privileges(connection));
                return null;
            });
        } catch (Exception e) {
            checks.add(new Check("Database reachable", false, "cannot connect: " + e.getMessage()));
        }
        return checks;
    }

    /** On a Galera node only: whether an upgrade may start through it, and why not. */
    private static void cluster(Connection connection, List<Check> checks) {
        String name = "Galera node may run the upgrade";
        ClusterState cluster;
        try {
            cluster = ClusterState.read(connection);
        } catch (SQLException e) {
            checks.add(new Check(name, false, "cannot read the node's wsrep status: " + e.getMessage()));
            return;
        }
        if (cluster.cluster()) {
            String refusal = cluster.refusal();
            checks.add(new Check(name, refusal == null, refusal == null ? cluster.toString() : refusal));
        }
    }

    /** PostgreSQL: whoever may create in the schema owns, and so may alter and drop, what the migrations create. */
    private static Check postgresPrivileges(Connection connection) {
        String name = "May create and alter tables";
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_user, current_schema(),"
                     + " has_schema_privilege(current_schema(), 'CREATE')")) {
            row.next();
            String who = row.getString(1);
            String schema = row.getString(2);
            if (schema == null) {
                return new Check(name, false, who + " has no current schema: no schema of search_path exists");
            }
            return row.getBoolean(3) ? new Check(name, true, who + " may create tables in schema " + schema)
                    : new Check(name, false, who + " lacks CREATE on schema " + schema);
        } catch (Exception e) {
            return new Check(name, false, "cannot read the privileges: " + e.getMessage());
        }
    }

    private static Check privileges(Connection connection) {
        String name = "May create and alter tables";
        try {
            String grantee;
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT CURRENT_USER()")) {
                row.next();
                String current = row.getString(1);
                int at = current.lastIndexOf('@');
                grantee = "'" + current.substring(0, at) + "'@'" + current.substring(at + 1) + "'";
            }
            Set<String> granted = new HashSet<>();
            try (PreparedStatement query = connection.prepareStatement(PRIVILEGES)) {
                query.setString(1, grantee);
                query.setString(2, grantee);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        granted.add(rows.getString(1));
                    }
                }
            }
            List<String> missing = new ArrayList<>();
            for (String needed : new String[] {"CREATE", "ALTER", "DROP", "INDEX", "INSERT", "UPDATE", "DELETE"}) {
                if (!granted.contains(needed)) {
                    missing.add(needed);
                }
            }
            return missing.isEmpty() ? new Check(name, true, grantee + " has CREATE, ALTER, DROP, INDEX and data rights")
                    : new Check(name, false, grantee + " lacks " + String.join(", ", missing)
                            + " on this schema (privileges granted through roles are not seen)");
        } catch (Exception e) {
            return new Check(name, false, "cannot read the privileges: " + e.getMessage());
        }
    }
}
