package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestOutage {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Far below any timeout, so a pass shows the failure came from the cut, not from waiting. */
    private static final Duration FAST = Duration.ofSeconds(3);

    @Test
    void aCutFailsOpenAndNewConnectionsFastAndARestoreHeals() throws SQLException {
        try (Connection before = proxiedConnection()) {
            assertEquals(1, selectOne(before));

            DB.proxy().cut();

            long started = System.nanoTime();
            assertThrows(SQLException.class, () -> selectOne(before));
            assertThrows(SQLException.class, TestOutage::proxiedConnection);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(FAST) < 0, "failing took " + took);
        }

        DB.proxy().restore();

        try (Connection after = proxiedConnection()) {
            assertEquals(1, selectOne(after));
        }
        try (Connection direct = DB.open()) {
            assertEquals(1, selectOne(direct));
        }
    }

    private static Connection proxiedConnection() throws SQLException {
        return DriverManager.getConnection(DB.proxiedJdbcUrl(), DB.user(), DB.password());
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
            return row.getInt(1);
        }
    }
}
