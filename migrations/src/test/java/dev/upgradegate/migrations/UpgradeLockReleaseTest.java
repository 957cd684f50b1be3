package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.TestDatabase;

/**
 * An administrator's release of a lease left by a killed upgrade, followed by a new upgrade: the Liquibase
 * lock the killed run held must go with the lease, or the next run waits on it and fails.
 */
class UpgradeLockReleaseTest {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @Test
    void releasingAnInterruptedLeaseAlsoFreesTheLiquibaseLockItsRunLeft() throws Exception {
        String url = DB.createDatabase("release");
        try (Connection setup = connect(url)) {
            run(setup, "CREATE TABLE DATABASECHANGELOGLOCK (ID INT PRIMARY KEY, LOCKED BIT(1), LOCKGRANTED DATETIME,"
                    + " LOCKEDBY VARCHAR(255))");
            run(setup, "INSERT INTO DATABASECHANGELOGLOCK VALUES (1, 0, NULL, NULL)");
        }
        Connection killed = connect(url);
        assertNotNull(UpgradeLock.tryAcquire(killed, "web-1 (pid 42)"));
        try (Connection liquibase = connect(url)) {
            run(liquibase, "UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKGRANTED = NOW(), LOCKEDBY = 'web-1' WHERE ID = 1");
        }
        killed.abort(Runnable::run);

        try (Connection admin = connect(url)) {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!UpgradeLock.inspect(admin).interrupted() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(UpgradeLock.Release.RELEASED, UpgradeLock.releaseStale(admin, 120));
            assertEquals(0, liquibaseLocked(admin), "the killed run's Liquibase lock went with its lease");
            UpgradeLock next = UpgradeLock.tryAcquire(connect(url), "web-2");
            assertNull(next.previous(), "nothing is left to take over");
            next.close();

            run(admin, "UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKGRANTED = NOW(), LOCKEDBY = 'by hand' WHERE ID = 1");
            assertEquals(UpgradeLock.Release.NOTHING_HELD, UpgradeLock.releaseStale(admin, 120));
            assertEquals(1, liquibaseLocked(admin), "a fresh Liquibase lock of no upgrade of ours stays");
        }
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, DB.user(), DB.password());
    }

    private static void run(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static int liquibaseLocked(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT LOCKED FROM DATABASECHANGELOGLOCK WHERE ID = 1")) {
            row.next();
            return row.getInt(1);
        }
    }
}
