package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The one-upgrade-per-database lock, on the real server, with real concurrent sessions: MySQL's GET_LOCK and
 * PostgreSQL's advisory lock beside the lease row.
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class TestUpgradeLock {

    @RegisterExtension
    final TestDatabase db;

    TestUpgradeLock(DatabaseKind kind) {
        db = new TestDatabase(kind);
    }

    private Connection connect() throws SQLException {
        return db.open();
    }

    @Test
    void exactlyOneOfManySimultaneousSessionsGetsTheLock() throws Exception {
        int sessions = 20;
        ExecutorService pool = Executors.newFixedThreadPool(sessions);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<UpgradeLock>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                Connection connection = connect();
                attempts.add(pool.submit((Callable<UpgradeLock>) () -> {
                    go.await();
                    UpgradeLock lock = UpgradeLock.tryAcquire(connection, UpgradeLock.thisProcess(), LiquibaseLock.DEFAULT, 60);
                    if (lock == null) {
                        connection.close();
                    }
                    return lock;
                }));
            }
            go.countDown();
            List<UpgradeLock> winners = new ArrayList<>();
            for (Future<UpgradeLock> attempt : attempts) {
                if (attempt.get() != null) {
                    winners.add(attempt.get());
                }
            }
            assertEquals(1, winners.size());
            try (Connection observer = connect()) {
                assertTrue(UpgradeLock.isHeld(observer, 60), "every session sees the lock");
            }
            winners.get(0).close();
            try (Connection observer = connect()) {
                assertFalse(UpgradeLock.isHeld(observer, 60));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLockDiesWithItsSession() throws Exception {
        Connection holder = connect();
        UpgradeLock lock = UpgradeLock.tryAcquire(holder, UpgradeLock.thisProcess(), LiquibaseLock.DEFAULT, 60);
        assertNotNull(lock);
        try (Connection other = connect()) {
            assertNull(UpgradeLock.tryAcquire(other, UpgradeLock.thisProcess(), LiquibaseLock.DEFAULT, 60));
            holder.abort(Runnable::run);
            long deadline = System.currentTimeMillis() + 10_000;
            while (UpgradeLock.isHeld(other, 60) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            UpgradeLock taken = UpgradeLock.tryAcquire(other, UpgradeLock.thisProcess(), LiquibaseLock.DEFAULT, 60);
            assertNotNull(taken, "a dead session's lock is free again");
            assertTrue(taken.name().startsWith("upgradegate."));
        }
    }
}
