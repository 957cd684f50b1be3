package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.migrations.LeftLock;
import dev.upgradegate.migrations.UpgradeLock;
import dev.upgradegate.testsupport.GaleraCluster;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * What the upgrade lease costs an upgrade (issue 16): taking and ending it ({@code tryAcquire} + {@code close}) on a
 * node of the real Galera cluster, where each write is certified by every node, against the same on the single
 * server of the other tests, both on this machine.
 */
class ITGaleraLockCost {

    @RegisterExtension
    static final TestDatabase SINGLE = new TestDatabase();

    private static final int WARM_UP = 5;
    private static final int MEASURED = 40;

    @Test
    void takingAndEndingTheLeaseCostsMillisecondsOnTheCluster() throws Exception {
        GaleraCluster cluster = GaleraCluster.shared();
        String database = cluster.createDatabase("lockcost");
        try {
            double[] galera = lockTimes(() -> cluster.node(1).connect(database));
            double[] single = lockTimes(SINGLE::open);
            System.out.printf("[galera] the lock's cost per upgrade, tryAcquire + close, median / p90 of %d:"
                    + " Galera node %.1f / %.1f ms, single server %.1f / %.1f ms (%s)%n", MEASURED,
                    percentile(galera, 50), percentile(galera, 90), percentile(single, 50), percentile(single, 90),
                    SINGLE.serverDescription());
            // Generous on 2 busy cores: what matters is milliseconds once per upgrade, not seconds.
            assertTrue(percentile(galera, 50) < 1000, "median " + percentile(galera, 50) + " ms on Galera");
        } finally {
            cluster.dropDatabase(database);
        }
    }

    @FunctionalInterface
    interface Connector {
        Connection connect() throws SQLException;
    }

    private static double[] lockTimes(Connector connector) throws SQLException {
        double[] millis = new double[MEASURED];
        for (int i = 0; i < WARM_UP + MEASURED; i++) {
            Connection connection = connector.connect();
            long start = System.nanoTime();
            UpgradeLock lease = UpgradeLock.tryAcquire(connection, "lock-cost", LeftLock.NONE, 8);
            assertNotNull(lease, "the lease is free");
            // Closing the lease closes its connection too.
            lease.close();
            if (i >= WARM_UP) {
                millis[i - WARM_UP] = (System.nanoTime() - start) / 1e6;
            }
        }
        return millis;
    }

    private static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
