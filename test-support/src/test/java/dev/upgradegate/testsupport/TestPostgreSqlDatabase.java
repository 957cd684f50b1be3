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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestPostgreSqlDatabase {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    @Test
    void givesAFreshEmptyPostgreSqlDatabaseOfItsOwn() throws SQLException {
        try (Connection connection = DB.open(); Statement statement = connection.createStatement()) {
            try (ResultSet row = statement.executeQuery("SELECT current_database(), current_schema(),"
                    + " (SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema())")) {
                assertTrue(row.next());
                assertEquals(DB.databaseName(), row.getString(1));
                assertEquals("public", row.getString(2));
                assertEquals(0, row.getInt(3), "tables in a fresh database");
            }
            TestDatabaseTest.assertStoresAndReadsBackARow(connection);
        }
        assertTrue(DB.jdbcUrl().startsWith("jdbc:postgresql://"), DB.jdbcUrl());
        assertEquals(TestDriver.POSTGRESQL, DB.driver());
    }

    @Test
    void namesTheServerAndItsDriver() {
        String description = DB.serverDescription();
        assertTrue(description.matches(".*PostgreSQL 1[4-9].* at .*:\\d+, driver PostgreSQL JDBC Driver 42\\.7 .*"),
                description);
    }

    @Test
    void dropsADatabaseEvenWhileASessionHoldsLocksInIt() throws SQLException {
        String url = DB.createDatabase("locked");
        String name = url.substring(url.lastIndexOf('/') + 1);
        Connection holder = DriverManager.getConnection(url, DB.user(), DB.password());
        try (Statement statement = holder.createStatement()) {
            statement.execute("CREATE TABLE held (id INT)");
            holder.setAutoCommit(false);
            statement.execute("INSERT INTO held VALUES (1)");
            long started = System.nanoTime();
            SharedDatabaseServer.get(DatabaseKind.POSTGRESQL).dropDatabase(name);
            assertTrue(System.nanoTime() - started < 10_000_000_000L, "DROP DATABASE waited for the session");
        } finally {
            try {
                holder.close();
            } catch (SQLException terminated) {
                // Its session was ended to let the drop through.
            }
        }
        try (Connection connection = DB.open(); PreparedStatement query =
                connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                assertFalse(row.next(), name + " still exists");
            }
        }
    }
}
