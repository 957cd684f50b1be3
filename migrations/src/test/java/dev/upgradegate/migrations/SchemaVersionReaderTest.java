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

/** Reading the schema version from the real database server. */
class SchemaVersionReaderTest {

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

    private static final String CHANGELOG_TABLE = "CREATE TABLE DATABASECHANGELOG (ID VARCHAR(255), AUTHOR VARCHAR(255),"
            + " FILENAME VARCHAR(255), ORDEREXECUTED INT, TAG VARCHAR(255))";

    @Test
    void anEmptyDatabaseIsNotInstalled() throws Exception {
        try (Connection connection = fresh("empty")) {
            assertEquals(SchemaVersion.NOT_INSTALLED, new SchemaVersionReader(null).read(connection));
            run(connection, CHANGELOG_TABLE);
            assertEquals(SchemaVersion.NOT_INSTALLED, new SchemaVersionReader(null).read(connection));
        }
    }

    @Test
    void theNewestTagByExecutionOrderWins() throws Exception {
        try (Connection connection = fresh("tags")) {
            run(connection, CHANGELOG_TABLE,
                    "INSERT INTO DATABASECHANGELOG VALUES ('a','x','f',1,NULL)",
                    "INSERT INTO DATABASECHANGELOG VALUES ('b','x','f',2,'1.9.0')",
                    "INSERT INTO DATABASECHANGELOG VALUES ('c','x','f',3,NULL)",
                    "INSERT INTO DATABASECHANGELOG VALUES ('d','x','f',4,'1.10.0')",
                    "INSERT INTO DATABASECHANGELOG VALUES ('e','x','f',5,NULL)");
            assertEquals(SchemaVersion.of("1.10.0"), new SchemaVersionReader(null).read(connection));
        }
    }

    @Test
    void changesetsWithoutATagAreUntagged() throws Exception {
        try (Connection connection = fresh("untagged")) {
            run(connection, CHANGELOG_TABLE, "INSERT INTO DATABASECHANGELOG VALUES ('a','x','f',1,NULL)");
            assertEquals(SchemaVersion.UNTAGGED, new SchemaVersionReader(null).read(connection));
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
            SQLException refused = assertThrows(SQLException.class,
                    () -> new SchemaVersionReader("SELECT value FROM settings").read(connection));
            assertEquals("22000", refused.getSQLState());
        }
    }
}
