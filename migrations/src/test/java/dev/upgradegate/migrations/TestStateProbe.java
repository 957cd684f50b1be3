package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/** The background check's single round trip, counted at the server, with tables appearing and vanishing. */
class TestStateProbe {

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;


    /** Statements this connection has sent, as the server counts them (the count's own query excluded). */
    private static long questions(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW SESSION STATUS LIKE 'Questions'")) {
            row.next();
            return row.getLong(2);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    @Test
    void aSteadyCheckIsOneStatementWhateverTablesAreMissingAndNoErrorIsProvoked() throws Exception {
        LiquibaseEngine engine = new LiquibaseEngine("db/changelog/master.xml", new BundleFiles(dir)
                .write("db/changelog/master.xml", BundleFiles.changelog(BundleFiles.sql("a", "", "CREATE TABLE a (id INT)")))
                .loader());
        StateProbe probe = new StateProbe(engine.history(), "UPGRADEGATE_MAINTENANCE", "WEBAPP",
                List.of("MESSAGE", "UNTIL_MILLIS"), 60);
        try (Connection connection = db.open()) {
            StateProbe.Result empty = probe.read(connection, "shop");
            assertNull(empty.fingerprint(), "no history yet");
            assertNull(empty.row());
            assertFalse(empty.lock().held());
            long before = questions(connection);
            probe.read(connection, "shop");
            assertEquals(1, questions(connection) - before - 1, "one statement, though every table is missing");

            engine.update(connection, UpgradeListener.NONE);
            StateProbe.Result installed = probe.read(connection, "shop");
            assertNotNull(installed.fingerprint(), "the history appeared and was read at once");
            SchemaState state = engine.inspect(connection, installed.fingerprint());
            assertEquals(SchemaState.Kind.CURRENT, state.kind());
            before = questions(connection);
            StateProbe.Result steady = probe.read(connection, "shop");
            assertSame(state, engine.inspect(connection, steady.fingerprint()), "an unchanged history is not read again");
            assertEquals(1, questions(connection) - before - 1, "lease, fingerprint and row: one statement");

            execute(connection, "CREATE TABLE UPGRADEGATE_MAINTENANCE (WEBAPP VARCHAR(190) PRIMARY KEY,"
                    + " MESSAGE VARCHAR(100), UNTIL_MILLIS BIGINT NOT NULL)");
            execute(connection, "INSERT INTO UPGRADEGATE_MAINTENANCE VALUES ('shop', 'Back soon', 42)");
            assertArrayEquals(new Object[] {"Back soon", 42L}, probe.read(connection, "shop").row());
            assertNull(probe.read(connection, "blog").row(), "another webapp's key has no row");
            before = questions(connection);
            probe.read(connection, "shop");
            assertEquals(1, questions(connection) - before - 1, "with every table there, still one statement");

            execute(connection, "DROP TABLE UPGRADEGATE_MAINTENANCE");
            assertNull(probe.read(connection, "shop").row(), "a vanished table is noticed, not an error");
        }
    }

    @Test
    void theLeaseIsReadLikeUpgradeLockReadsIt() throws Exception {
        LiquibaseEngine engine = new LiquibaseEngine("none.xml", getClass().getClassLoader());
        StateProbe probe = new StateProbe(engine.history(), "UPGRADEGATE_MAINTENANCE", "WEBAPP", List.of("MESSAGE"), 60);
        try (Connection holder = db.open(); Connection observer = db.open()) {
            UpgradeLock lock = UpgradeLock.tryAcquire(holder, "web-1 (pid 42)", LiquibaseLock.DEFAULT, 60);
            try {
                LockInfo seen = probe.read(observer, "shop").lock();
                assertTrue(seen.held());
                assertEquals("web-1 (pid 42)", seen.owner());
                assertEquals(UpgradeLock.inspect(observer, 60).toString(), seen.toString());
            } finally {
                lock.close();
            }
            assertFalse(probe.read(observer, "shop").lock().held());
        }
    }
}
