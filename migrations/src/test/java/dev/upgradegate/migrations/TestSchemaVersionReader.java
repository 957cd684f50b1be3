package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.TestDatabase;

/** Reading a legacy webapp's version with its version.query, from the real database server. */
class TestSchemaVersionReader {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private Connection fresh(String prefix) throws SQLException {
        return DriverManager.getConnection(DB.createDatabase(prefix), DB.user(), DB.password());
    }

    private static void run(Connection connection, String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    @Test
    void aLegacyVersionRowIsReadByTheConfiguredQuery() throws Exception {
        try (Connection connection = fresh("legacy")) {
            SchemaVersionReader reader = new SchemaVersionReader("SELECT value FROM settings WHERE name = 'version'");
            assertEquals(SchemaVersion.NOT_INSTALLED, reader.read(connection), "no table yet");
            run(connection, "CREATE TABLE settings (name VARCHAR(50), value VARCHAR(50))");
            assertEquals(SchemaVersion.NOT_INSTALLED, reader.read(connection), "no row yet");
            run(connection, "INSERT INTO settings VALUES ('version', ' 3.2.1 ')");
            assertEquals(SchemaVersion.of("3.2.1"), reader.read(connection));
        }
    }

    @Test
    void aQueryReturningSeveralRowsIsRefused() throws Exception {
        try (Connection connection = fresh("rows")) {
            run(connection, "CREATE TABLE settings (value VARCHAR(50))",
                    "INSERT INTO settings VALUES ('1'), ('2')");
            SQLException refused = assertThrows(SchemaVersionReader.RejectedQuery.class,
                    () -> new SchemaVersionReader("SELECT value FROM settings").read(connection));
            assertEquals("22000", refused.getSQLState());
            assertThrows(SchemaVersionReader.RejectedQuery.class,
                    () -> new SchemaVersionReader("SELECT no_such_column FROM settings").read(connection),
                    "MySQL's unknown column (42S22) is the query's fault");
        }
    }
}
