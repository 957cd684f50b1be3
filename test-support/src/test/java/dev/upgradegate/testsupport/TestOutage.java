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

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.extension.RegisterExtension;

class TestOutage {

    @RegisterExtension
    static final TestDatabase MYSQL = new TestDatabase();
    @RegisterExtension
    static final TestDatabase POSTGRESQL = new TestDatabase(DatabaseKind.POSTGRESQL);

    /** Far below any timeout, so a pass shows the failure came from the cut, not from waiting. */
    private static final Duration FAST = Duration.ofSeconds(3);

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aCutFailsOpenAndNewConnectionsFastAndARestoreHeals(DatabaseKind kind) throws SQLException {
        TestDatabase db = kind == DatabaseKind.POSTGRESQL ? POSTGRESQL : MYSQL;
        try (Connection before = proxiedConnection(db)) {
            assertEquals(1, selectOne(before));

            db.proxy().cut();

            long started = System.nanoTime();
            assertThrows(SQLException.class, () -> selectOne(before));
            assertThrows(SQLException.class, () -> proxiedConnection(db));
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(FAST) < 0, "failing took " + took);
        }

        db.proxy().restore();

        try (Connection after = proxiedConnection(db)) {
            assertEquals(1, selectOne(after));
        }
        try (Connection direct = db.open()) {
            assertEquals(1, selectOne(direct));
        }
    }

    private static Connection proxiedConnection(TestDatabase db) throws SQLException {
        return DriverManager.getConnection(db.proxiedJdbcUrl(), db.user(), db.password());
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
            return row.getInt(1);
        }
    }
}
