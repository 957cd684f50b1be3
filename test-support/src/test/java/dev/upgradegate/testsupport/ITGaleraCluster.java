package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixture itself: the cluster replicates, and a node killed, stopped or cut off comes back by itself. */
class ITGaleraCluster {

    private static final Duration WAIT = Duration.ofMinutes(1);

    private static GaleraCluster cluster;
    private static String database;

    @BeforeAll
    static void cluster() {
        cluster = GaleraCluster.shared();
        database = cluster.createDatabase("fixture");
    }

    @AfterEach
    void whole() {
        cluster.makeWhole();
    }

    @AfterAll
    static void drop() {
        cluster.dropDatabase(database);
    }

    @Test
    void threeSyncedNodesReplicateEveryWrite() throws SQLException {
        assertEquals(3, cluster.size());
        for (GaleraNode node : cluster.nodes()) {
            assertEquals("Synced", node.state());
            assertEquals(3, node.clusterSize());
        }
        update(cluster.node(1), "CREATE TABLE rows_of_node (id INT PRIMARY KEY)",
                "INSERT INTO rows_of_node VALUES (1)");
        update(cluster.node(3), "INSERT INTO rows_of_node VALUES (3)");

        for (GaleraNode node : cluster.nodes()) {
            assertEquals(2, awaitCount(node, "SELECT COUNT(*) FROM rows_of_node", 2), node.toString());
        }
    }

    /** Why the upgrade lock cannot rest on GET_LOCK on a cluster: each node grants the same name. */
    @Test
    void namedLocksAreNodeLocal() throws SQLException {
        try (Connection first = cluster.node(1).connect(database);
                Connection second = cluster.node(2).connect(database)) {
            assertEquals(1, single(first, "SELECT GET_LOCK('upgradegate-fixture', 0)"));
            assertEquals(1, single(second, "SELECT GET_LOCK('upgradegate-fixture', 0)"));
        }
    }

    @Test
    void aKilledNodeRejoinsWithTheWritesItMissed() throws SQLException {
        update(cluster.node(1), "CREATE TABLE missed (id INT PRIMARY KEY)");
        GaleraNode killed = cluster.node(2);

        killed.kill();
        assertFalse(killed.running());
        cluster.node(1).awaitClusterSize(2, WAIT);
        update(cluster.node(1), "INSERT INTO missed VALUES (1)");
        killed.start();

        assertEquals("Synced", killed.state());
        assertEquals(1, awaitCount(killed, "SELECT COUNT(*) FROM missed", 1));
        cluster.node(1).awaitClusterSize(3, WAIT);
    }

    @Test
    void aStoppedNodeLeavesCleanlyAndRejoins() throws SQLException {
        GaleraNode stopped = cluster.node(3);

        stopped.stop();
        assertEquals(2, cluster.node(1).clusterSize());
        assertEquals("Primary", cluster.node(1).clusterStatus());
        stopped.start();

        assertEquals(3, stopped.clusterSize());
    }

    @Test
    void anIsolatedNodeRefusesQueriesUntilItRejoins() throws SQLException {
        GaleraNode isolated = cluster.node(3);

        isolated.isolate();
        try (Connection connection = isolated.connect(database); Statement statement = connection.createStatement()) {
            SQLException refused = assertThrows(SQLException.class,
                    () -> statement.executeQuery("SELECT COUNT(*) FROM mysql.user"));
            assertTrue(refused.getMessage().contains("WSREP has not yet prepared node for application use"),
                    refused.getMessage());
        }
        cluster.node(1).awaitClusterSize(2, WAIT);
        assertEquals("Primary", cluster.node(1).clusterStatus());
        isolated.rejoin();

        assertEquals("Primary", isolated.clusterStatus());
        isolated.awaitClusterSize(3, WAIT);
    }

    private static void update(GaleraNode node, String... statements) throws SQLException {
        try (Connection connection = node.connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long single(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Another node applies a write moments after its commit returns on the first. */
    private static long awaitCount(GaleraNode node, String query, long expected) throws SQLException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long count;
            try (Connection connection = node.connect(database)) {
                count = single(connection, query);
            }
            if (count == expected || System.nanoTime() > deadline) {
                return count;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return count;
            }
        }
    }
}
