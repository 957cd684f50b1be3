package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.upgradegate.gate.config.Setting;
import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TestDriver;

/**
 * What the reliability tests read from the database to judge an upgrade: what ran, how often, what changed; on a
 * MySQL/MariaDB or a PostgreSQL database, told apart by its URL. And the few statements of the test bundles that
 * differ between the two.
 */
final class DatabaseChecks {

    /** Only for the shared servers' credentials; they create no database of their own. */
    private static final TestDatabase MYSQL = new TestDatabase();
    private static final TestDatabase POSTGRESQL = new TestDatabase(DatabaseKind.POSTGRESQL);

    private DatabaseChecks() {
    }

    static DatabaseKind kind(String url) {
        return url.startsWith(TestDriver.POSTGRESQL.scheme()) ? DatabaseKind.POSTGRESQL : DatabaseKind.MYSQL;
    }

    static Connection connect(String url) throws SQLException {
        TestDatabase server = kind(url) == DatabaseKind.POSTGRESQL ? POSTGRESQL : MYSQL;
        return DriverManager.getConnection(url, server.user(), server.password());
    }

    /** A column type for an instant with milliseconds. */
    static String timestamp(DatabaseKind kind) {
        return kind == DatabaseKind.POSTGRESQL ? "TIMESTAMP(3)" : "DATETIME(3)";
    }

    /** A statement that sleeps for {@code seconds} inside its changeset's transaction. */
    static String sleep(DatabaseKind kind, String seconds) {
        return kind == DatabaseKind.POSTGRESQL ? "SELECT pg_sleep(" + seconds + ")" : "SELECT SLEEP(" + seconds + ")";
    }

    /** A SELECT that takes the session-level named lock {@code key} without waiting; its one column says whether. */
    static String tryLock(DatabaseKind kind, long key) {
        return kind == DatabaseKind.POSTGRESQL ? "SELECT pg_try_advisory_lock(" + key + ")"
                : "SELECT GET_LOCK('ugt-hold-" + key + "', 10)";
    }

    /** Statements that wait until whoever holds the named lock {@code key} gives it up, then give it back. */
    static String waitForLock(DatabaseKind kind, long key) {
        return kind == DatabaseKind.POSTGRESQL
                ? "SELECT pg_advisory_lock(" + key + "); SELECT pg_advisory_unlock(" + key + ")"
                : "SELECT GET_LOCK('ugt-hold-" + key + "', 120); SELECT RELEASE_LOCK('ugt-hold-" + key + "')";
    }

    /** Whether {@code table} exists in the database's own schema, in whatever case the server keeps its name. */
    static boolean tableExists(String url, String table) throws SQLException {
        String schema = kind(url) == DatabaseKind.POSTGRESQL ? "current_schema()" : "DATABASE()";
        return count(url, "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + schema
                + " AND LOWER(TABLE_NAME) = '" + table.toLowerCase(Locale.ROOT) + "'") > 0;
    }


    /** Release 1.0.0 of the test application: two tables with rows an upgrade must never touch. */
    static TestBundle release1(TestBundle bundle, DatabaseKind kind) {
        return bundle
                .sql("1-customers", "CREATE TABLE customers (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL,"
                        + " email VARCHAR(80), balance DECIMAL(10,2))")
                .sql("1-orders", "CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL,"
                        + " item VARCHAR(60), placed " + timestamp(kind) + ")")
                .tag("1.0.0");
    }

    /** Runs a release's changelog with Liquibase from the test, as an earlier upgrade would have. */
    static void installDirectly(String url, TestBundle bundle, Path scratch) throws Exception {
        Path dir = bundle.directory(scratch.resolve("direct-" + System.nanoTime()));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("WEB-INF/classes").toUri().toURL()}, null);
                Connection connection = connect(url)) {
            new LiquibaseEngine(Setting.CHANGELOG.defaultValue(), loader).update(connection, UpgradeListener.NONE);
        }
    }

    static void fillPreExistingRows(String url) throws SQLException {
        try (Connection connection = connect(url)) {
            connection.setAutoCommit(false);
            try (PreparedStatement customer = connection.prepareStatement("INSERT INTO customers VALUES (?, ?, ?, ?)");
                    PreparedStatement order = connection.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= 2000; i++) {
                    customer.setInt(1, i);
                    customer.setString(2, "Kunde \u00e4\u00f6\u00fc " + i);
                    customer.setString(3, i % 7 == 0 ? null : "c" + i + "@example.org");
                    customer.setBigDecimal(4, java.math.BigDecimal.valueOf(i * 37L % 100000, 2));
                    customer.addBatch();
                }
                for (int i = 1; i <= 5000; i++) {
                    order.setInt(1, i);
                    order.setInt(2, 1 + i % 2000);
                    order.setString(3, "item '" + i + "'");
                    order.setTimestamp(4, new java.sql.Timestamp(1_700_000_000_000L + i * 1000L));
                    order.addBatch();
                }
                customer.executeBatch();
                order.executeBatch();
            }
            connection.commit();
        }
    }

    /**
     * A SHA-256 per pre-existing table over its rows in key order, in the columns it had before the upgrade,
     * with their row count: equal hashes mean every row is exactly as it was.
     */
    static Map<String, String> rowHashes(String url) throws Exception {
        Map<String, String> hashes = new TreeMap<>();
        try (Connection connection = connect(url);
                Statement statement = connection.createStatement()) {
            for (String[] table : new String[][] {{"customers", "id, name, email, balance"},
                    {"orders", "id, customer_id, item, placed"}}) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                int rows = 0;
                try (ResultSet row = statement.executeQuery("SELECT " + table[1] + " FROM " + table[0] + " ORDER BY id")) {
                    int columns = row.getMetaData().getColumnCount();
                    while (row.next()) {
                        rows++;
                        for (int c = 1; c <= columns; c++) {
                            digest.update(String.valueOf(row.getString(c)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            digest.update((byte) 0);
                        }
                    }
                }
                hashes.put(table[0], rows + " rows, " + HexFormat.of().formatHex(digest.digest()));
            }
        }
        return hashes;
    }

    /** The changesets run so far, in order; none before Liquibase has created its table. */
    static List<String> executed(String url) throws SQLException {
        if (!tableExists(url, "DATABASECHANGELOG")) {
            return List.of();
        }
        return strings(url, "SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED");
    }

    static int countExecuted(String url, List<String> ids) throws SQLException {
        List<String> done = executed(url);
        return (int) ids.stream().filter(done::contains).count();
    }

    static void awaitExecuted(String url, List<String> ids, int atLeast, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (countExecuted(url, ids) < atLeast) {
            if (System.nanoTime() > deadline) {
                fail("the upgrade did not reach " + atLeast + " changesets within " + seconds + " s; ran "
                        + executed(url));
            }
            Thread.sleep(20);
        }
    }

    /**
     * After the kill: the lease row names the dead owner, and its session lock is gone with its connection: MySQL's
     * GET_LOCK of the schema, or any advisory lock in the database (each test has a database of its own).
     */
    static void assertLeaseLeftByTheDead(String url) throws Exception {
        assertEquals(1, count(url, "SELECT COUNT(*) FROM UPGRADEGATE_LOCK"), "the lease row outlives its holder");
        String namedLocks = kind(url) == DatabaseKind.POSTGRESQL
                ? "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                : "SELECT COUNT(IS_USED_LOCK(CONCAT('upgradegate.', DATABASE())))";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(url, namedLocks) > 0) {
            if (System.nanoTime() > deadline) {
                fail("the dead process's named lock is still held 10 s after the kill");
            }
            Thread.sleep(50);
        }
    }

    /** Every changeset of the bundle ran, each exactly once. */
    static void assertRanOnce(String url, List<String> ids) throws SQLException {
        List<String> done = executed(url);
        assertEquals(ids.size(), done.size(), "DATABASECHANGELOG: " + done);
        assertEquals(new java.util.TreeSet<>(ids), new java.util.TreeSet<>(done), "each changeset once");
        assertEquals(0, count(url, "SELECT COUNT(*) FROM (SELECT ID FROM DATABASECHANGELOG GROUP BY ID, AUTHOR,"
                + " FILENAME HAVING COUNT(*) > 1) twice"));
    }

    static long count(String url, String sql) throws SQLException {
        try (Connection connection = connect(url);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    static List<String> strings(String url, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection connection = connect(url);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }
}
