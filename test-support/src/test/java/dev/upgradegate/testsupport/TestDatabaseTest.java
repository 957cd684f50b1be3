package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestDatabaseTest {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Read before any test of this class can add a table of its own. */
    static List<String> tablesAtStart;

    @BeforeAll
    static void readTablesAtStart() throws SQLException {
        tablesAtStart = tables(DB.open());
    }

    /** The tables in {@code connection}'s database; closes it. */
    static List<String> tables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (connection; Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = DATABASE()")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    @Test
    void storesAndReadsBackARow() throws SQLException {
        try (Connection connection = DB.open()) {
            assertStoresAndReadsBackARow(connection);
        }
    }

    /** A table created, a row with non-ASCII text written and read back, on {@code connection}. */
    static void assertStoresAndReadsBackARow(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE greeting (id INT PRIMARY KEY, text VARCHAR(100) NOT NULL)");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO greeting VALUES (?, ?)")) {
                insert.setInt(1, 1);
                insert.setString(2, "grüß dich");
                insert.executeUpdate();
            }
            try (ResultSet row = statement.executeQuery("SELECT text FROM greeting WHERE id = 1")) {
                assertTrue(row.next());
                assertEquals("grüß dich", row.getString(1));
            }
        }
    }

    @Test
    void startsFromAnEmptyDatabaseOfItsOwn() throws SQLException {
        assertEquals(List.of(), tablesAtStart, "tables before any test ran");
        try (Connection connection = DriverManager.getConnection(DB.jdbcUrl(), DB.user(), DB.password());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT DATABASE()")) {
            assertTrue(row.next());
            assertEquals(DB.databaseName(), row.getString(1));
        }
        assertTrue(DB.databaseName().startsWith("ugt_testdatabasetest_"), DB.databaseName());
        assertFalse(DB.serverDescription().isBlank());
    }

    @Test
    void dropsADatabaseEvenWhileASessionHoldsLocksInIt() throws SQLException {
        String url = DB.createDatabase("locked");
        String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        Connection holder = DriverManager.getConnection(url, DB.user(), DB.password());
        try (Statement statement = holder.createStatement()) {
            statement.execute("CREATE TABLE held (id INT)");
            holder.setAutoCommit(false);
            statement.execute("INSERT INTO held VALUES (1)"); // an open transaction holding a lock on held
            long started = System.nanoTime();
            SharedDatabaseServer.get().dropDatabase(name);
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "DROP DATABASE waited for the lock");
        } finally {
            try {
                holder.close();
            } catch (SQLException killed) {
                // Its session was killed to let the drop through.
            }
        }
    }

    @Test
    void createsFurtherDatabasesOnTheSameServer() throws SQLException {
        String url = DB.createDatabase("second");
        try (Connection connection = DriverManager.getConnection(url, DB.user(), DB.password());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT DATABASE()")) {
            assertTrue(row.next());
            assertTrue(row.getString(1).startsWith("second_"), row.getString(1));
        }
    }
}
