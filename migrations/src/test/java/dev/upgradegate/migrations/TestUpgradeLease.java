package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The lease side of the upgrade lock: owners, heartbeats, interrupted upgrades and stale releases, on MySQL/MariaDB
 * and on PostgreSQL (where Liquibase's lock table is lower case, its LOCKED a BOOLEAN).
 */
@ParameterizedClass
@EnumSource(DatabaseKind.class)
class TestUpgradeLease {

    /** Ten minutes ago, in SQL both kinds of server read: the standard interval literal. */
    private static final String TEN_MINUTES_AGO = "NOW() - INTERVAL '10' MINUTE";

    @RegisterExtension
    final TestDatabase db;
    private final DatabaseKind kind;

    TestUpgradeLease(DatabaseKind kind) {
        this.kind = kind;
        db = new TestDatabase(kind);
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, db.user(), db.password());
    }

    private static void run(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static void awaitReleased(Connection observer) throws Exception {
        long deadline = System.currentTimeMillis() + 10_000;
        while (UpgradeLock.isHeld(observer, 60) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(UpgradeLock.isHeld(observer, 60), "a dead session's named lock is released");
    }

    @Test
    void everyoneSeesWhoHoldsTheLeaseAndAKilledHoldersLeaseIsInterrupted() throws Exception {
        String url = db.createDatabase("lease");
        Connection holder = connect(url);
        UpgradeLock lock = UpgradeLock.tryAcquire(holder, "web-1 (pid 42)", LiquibaseLock.DEFAULT, 60);
        assertNotNull(lock);
        try (Connection observer = connect(url)) {
            LockInfo held = UpgradeLock.inspect(observer, 60);
            assertTrue(held.held());
            assertEquals("web-1 (pid 42)", held.owner());
            assertNotNull(held.started());
            assertFalse(held.stale(60));

            holder.abort(Runnable::run);
            awaitReleased(observer);
            LockInfo left = UpgradeLock.inspect(observer, 60);
            assertTrue(left.interrupted(), left.toString());
            assertTrue(left.stale(60));
            assertEquals("web-1 (pid 42)", left.owner());
        }
    }

    @Test
    void takingOverAnInterruptedUpgradeClearsTheLiquibaseLockItLeftButNoOther() throws Exception {
        String url = killedInsideLiquibase("takeover");

        try (Connection next = connect(url); Connection observer = connect(url)) {
            awaitReleased(observer);
            UpgradeLock lock = UpgradeLock.tryAcquire(next, "web-2 (pid 7)", LiquibaseLock.DEFAULT, 60);
            assertNotNull(lock);
            assertEquals("web-1 (pid 42)", lock.previous().owner());
            assertEquals(0, liquibaseLocked(observer), "the interrupted run's Liquibase lock is released");
            assertEquals("web-2 (pid 7)", UpgradeLock.inspect(observer, 60).owner());
            lock.close();
            assertEquals(LockInfo.FREE.toString(), UpgradeLock.inspect(observer, 60).toString(), "a clean end leaves no trace");

            run(observer, "UPDATE DATABASECHANGELOGLOCK SET LOCKED = TRUE, LOCKGRANTED = NOW(), LOCKEDBY = 'someone by hand' WHERE ID = 1");
            try (Connection third = connect(url)) {
                UpgradeLock again = UpgradeLock.tryAcquire(third, "web-3", LiquibaseLock.DEFAULT, 60);
                assertNull(again.previous());
                again.close();
            }
            assertEquals(1, liquibaseLocked(observer), "a Liquibase lock nobody of ours left is never taken silently");
        }
    }

    /**
     * Releasing an interrupted lease must also free the Liquibase lock its run left, or the next run waits on
     * it and fails; a fresh Liquibase lock of no upgrade of ours stays.
     */
    @Test
    void releasingAnInterruptedLeaseAlsoFreesTheLiquibaseLockItsRunLeft() throws Exception {
        String url = killedInsideLiquibase("release");
        try (Connection admin = connect(url)) {
            awaitReleased(admin);
            assertEquals(UpgradeLock.Release.RELEASED, UpgradeLock.releaseStale(admin, 120, LiquibaseLock.DEFAULT));
            assertEquals(0, liquibaseLocked(admin), "the killed run's Liquibase lock went with its lease");
            UpgradeLock next = UpgradeLock.tryAcquire(connect(url), "web-2", LiquibaseLock.DEFAULT, 60);
            assertNull(next.previous(), "nothing is left to take over");
            next.close();

            run(admin, "UPDATE DATABASECHANGELOGLOCK SET LOCKED = TRUE, LOCKGRANTED = NOW(), LOCKEDBY = 'by hand' WHERE ID = 1");
            assertEquals(UpgradeLock.Release.NOTHING_HELD, UpgradeLock.releaseStale(admin, 120, LiquibaseLock.DEFAULT));
            assertEquals(1, liquibaseLocked(admin), "a fresh Liquibase lock of no upgrade of ours stays");
        }
    }

    /** A fresh database where an upgrade took the lease and Liquibase's lock, then its process died. */
    private String killedInsideLiquibase(String prefix) throws SQLException {
        String url = db.createDatabase(prefix);
        try (Connection setup = connect(url)) {
            // Liquibase's own lock table on each kind of server.
            boolean postgres = kind == DatabaseKind.POSTGRESQL;
            run(setup, "CREATE TABLE DATABASECHANGELOGLOCK (ID INT PRIMARY KEY, LOCKED " + (postgres ? "BOOLEAN" : "BIT(1)")
                    + ", LOCKGRANTED " + (postgres ? "TIMESTAMP" : "DATETIME") + ", LOCKEDBY VARCHAR(255))");
            run(setup, "INSERT INTO DATABASECHANGELOGLOCK VALUES (1, FALSE, NULL, NULL)");
        }
        Connection killed = connect(url);
        assertNotNull(UpgradeLock.tryAcquire(killed, "web-1 (pid 42)", LiquibaseLock.DEFAULT, 60));
        try (Connection liquibase = connect(url)) {
            run(liquibase, "UPDATE DATABASECHANGELOGLOCK SET LOCKED = TRUE, LOCKGRANTED = NOW(), LOCKEDBY = 'web-1' WHERE ID = 1");
        }
        killed.abort(Runnable::run);
        return url;
    }

    @Test
    void onlyAStaleLeaseIsReleased() throws Exception {
        String url = db.createDatabase("stale");
        Connection holder = connect(url);
        UpgradeLock lock = UpgradeLock.tryAcquire(holder, "web-1 (pid 42)", LiquibaseLock.DEFAULT, 60);
        assertNotNull(lock);
        try (Connection admin = connect(url)) {
            assertEquals(UpgradeLock.Release.REFUSED_LIVE_OWNER, UpgradeLock.releaseStale(admin, 60, LiquibaseLock.DEFAULT));
            assertTrue(UpgradeLock.isHeld(admin, 60));

            run(admin, "UPDATE UPGRADEGATE_LOCK SET HEARTBEAT = " + TEN_MINUTES_AGO);
            assertTrue(UpgradeLock.inspect(admin, 60).stale(60));
            assertEquals(UpgradeLock.Release.RELEASED, UpgradeLock.releaseStale(admin, 60, LiquibaseLock.DEFAULT));
            awaitReleased(admin);
            assertEquals(LockInfo.FREE.toString(), UpgradeLock.inspect(admin, 60).toString());
            assertEquals(UpgradeLock.Release.NOTHING_HELD, UpgradeLock.releaseStale(admin, 60, LiquibaseLock.DEFAULT));
        } finally {
            holder.abort(Runnable::run);
        }
    }

    /** One heartbeat by hand; the gate's background loop keeping a long upgrade fresh is TestHeartbeatAcrossNodes. */
    @Test
    void aHeartbeatMakesASilentLeaseFreshAndIsANoOpOnceClosed() throws Exception {
        String url = db.createDatabase("beat");
        try (Connection admin = connect(url)) {
            UpgradeLock lock = UpgradeLock.tryAcquire(connect(url), "web-1", LiquibaseLock.DEFAULT, 60);
            run(admin, "UPDATE UPGRADEGATE_LOCK SET HEARTBEAT = " + TEN_MINUTES_AGO);
            assertTrue(UpgradeLock.inspect(admin, 60).stale(60));
            lock.heartbeat();
            assertFalse(UpgradeLock.inspect(admin, 60).stale(60));
            lock.close();
            lock.heartbeat();
        }
    }

    /** As when another node of a cluster judged this lease interrupted and took it over: the row is no longer ours. */
    @Test
    void aLeaseTakenOverIsNeitherRenewedNorEndedByItsFormerHolder() throws Exception {
        String url = db.createDatabase("taken");
        try (Connection admin = connect(url)) {
            UpgradeLock lock = UpgradeLock.tryAcquire(connect(url), "web-1", LiquibaseLock.DEFAULT, 60);
            run(admin, "UPDATE UPGRADEGATE_LOCK SET OWNER = 'web-2 (pid 7)', STARTED = NOW()");
            SQLException lost = assertThrows(SQLException.class, lock::heartbeat);
            assertTrue(lost.getMessage().contains("released or taken over"), lost.getMessage());
            lock.close();
            assertEquals("web-2 (pid 7)", UpgradeLock.inspect(admin, 60).owner(), "the new holder's row stays");
        }
    }

    private static int liquibaseLocked(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT LOCKED FROM DATABASECHANGELOGLOCK WHERE ID = 1")) {
            row.next();
            return row.getBoolean(1) ? 1 : 0;
        }
    }
}
