package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.TestDatabase;

/**
 * What a node says of its cluster: nothing on the test server, which is none (MariaDB reports an empty wsrep
 * provider, MySQL no wsrep status at all), and the rules for a Galera node's states. Real Galera nodes are
 * read in the tomcat-valve module's ITGaleraNodes.
 */
class TestClusterState {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static ClusterState galera(String nodeState, boolean primary, boolean ready, String osuMethod,
                                       boolean replicating) {
        return new ClusterState(true, 3, nodeState, primary, ready, osuMethod, replicating);
    }

    /** Statements this connection has sent, as the server counts them (the count's own query excluded). */
    private static long questions(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW SESSION STATUS LIKE 'Questions'")) {
            row.next();
            return row.getLong(2);
        }
    }

    @Test
    void aServerThatIsNoClusterSaysNothingClusterIshInOneStatement() throws Exception {
        try (Connection connection = DB.open()) {
            long before = questions(connection);
            ClusterState read = ClusterState.read(connection);
            assertEquals(1, questions(connection) - before - 1, "one SHOW");
            assertSame(ClusterState.NONE, read);
            assertFalse(read.cluster());
            assertNull(read.unavailable());
            assertNull(read.refusal());
            assertEquals("not a cluster", read.toString());
        }
    }

    @Test
    void aSyncedNodeReplicatingDdlInTotalOrderMayUpgrade() {
        ClusterState synced = galera("Synced", true, true, "TOI", true);
        assertNull(synced.unavailable());
        assertNull(synced.refusal());
        assertEquals("Galera cluster of 3 nodes, this node Synced, wsrep_OSU_method=TOI", synced.toString());
    }

    @Test
    void aNodeOutsideThePrimaryComponentOrNotReadyIsUnavailable() {
        ClusterState outside = galera("Initialized", false, false, "TOI", true);
        assertTrue(outside.unavailable().contains("outside the primary component"), outside.unavailable());
        assertEquals(outside.unavailable(), outside.refusal());
        assertTrue(outside.toString().contains("outside the primary component"));
        ClusterState joining = galera("Joining", true, false, "TOI", true);
        assertTrue(joining.unavailable().contains("not ready for queries (wsrep_ready=OFF, state Joining)"),
                joining.unavailable());
    }

    @Test
    void aDonorRsuOrUnreplicatedSessionAnswersButMayNotUpgrade() {
        ClusterState donor = galera("Donor/Desynced", true, true, "TOI", true);
        assertNull(donor.unavailable(), "a donor still answers queries");
        assertTrue(donor.refusal().contains("is Donor/Desynced, not Synced"), donor.refusal());
        ClusterState rsu = galera("Synced", true, true, "RSU", true);
        assertNull(rsu.unavailable());
        assertTrue(rsu.refusal().contains("wsrep_OSU_method is RSU"), rsu.refusal());
        ClusterState off = galera("Synced", true, true, "TOI", false);
        assertTrue(off.refusal().contains("wsrep_on is OFF"), off.refusal());
    }
}
