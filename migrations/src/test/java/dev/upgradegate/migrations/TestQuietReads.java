package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.DriverLog;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TestDriver;

/**
 * UpgradeGate reads databases that lack its tables and the engines' (nothing installed yet), and must not provoke
 * the server's "table doesn't exist" there: MariaDB's driver logs every error as a warning, so a status command or
 * a wizard page would print the driver's lines. Connector/J logs nothing; the reads must answer the same with it.
 */
class TestQuietReads {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void readingADatabaseWithNothingInstalledProvokesNoError() throws Exception {
        if (DB.driver() == TestDriver.MARIADB) {
            try (DriverLog log = new DriverLog(); Connection connection = DB.open();
                 Statement sql = connection.createStatement()) {
                assertThrows(SQLException.class, () -> sql.executeQuery("SELECT * FROM not_here"));
                assertTrue(log.lines().stream().anyMatch(line -> line.contains("not_here")),
                        "the log hears the driver: " + log.lines());
            }
        }
        BundleFiles bundle = new BundleFiles(dir)
                .write("db/changelog/master.xml", BundleFiles.changelog(BundleFiles.sql("a", "", "CREATE TABLE a (id INT)")))
                .write("db/migration/V1__create_b.sql", "CREATE TABLE b (id INT);");
        LiquibaseEngine liquibase = new LiquibaseEngine("db/changelog/master.xml", bundle.loader());
        FlywayEngine flyway = new FlywayEngine(List.of("db/migration"), bundle.loader(), "flyway_schema_history");
        try (DriverLog log = new DriverLog(); Connection connection = DB.open()) {
            assertNull(liquibase.history().fingerprint(connection));
            assertEquals(SchemaState.Kind.NOT_INSTALLED, liquibase.inspect(connection).kind());
            assertEquals(SchemaState.Kind.NOT_INSTALLED, flyway.inspect(connection).kind());
            assertFalse(UpgradeLock.inspect(connection, 60).held());
            assertEquals(UpgradeLock.Release.NOTHING_HELD, UpgradeLock.releaseStale(connection, 60, LiquibaseLock.DEFAULT));
            assertEquals(SchemaVersion.NOT_INSTALLED,
                    new SchemaVersionReader("SELECT value FROM `settings` WHERE name = 'version'").read(connection));
            assertEquals(List.of(), log.lines(), "the driver logged nothing");
        }
    }
}
