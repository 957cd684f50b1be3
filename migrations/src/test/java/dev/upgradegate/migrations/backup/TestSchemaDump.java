package dev.upgradegate.migrations.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/** A backup is only as good as its restore: dump a real schema, replay it into an empty one, compare. */
class TestSchemaDump {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final int BULK_ROWS = 50_000;

    @TempDir
    Path dir;

    private static Connection open(String url) throws SQLException {
        return DriverManager.getConnection(url, DB.user(), DB.password());
    }

    @Test
    void aDumpRestoredIntoAnEmptyDatabaseHasEveryRowOfEveryTable() throws Exception {
        String source = DB.createDatabase("dump_src");
        String target = DB.createDatabase("dump_dst");
        try (Connection connection = open(source); Statement sql = connection.createStatement()) {
            everyColumnKind(connection);
            sql.execute("CREATE TABLE `odd ``name``` (`select` INT PRIMARY KEY, `a-b` VARCHAR(10))");
            sql.execute("CREATE TABLE bulk (id INT PRIMARY KEY, label VARCHAR(40), amount BIGINT)");
            sql.execute("CREATE TABLE empty_one (id INT PRIMARY KEY)");
            sql.execute("CREATE VIEW cheap AS SELECT id, name FROM product WHERE price < 10");
            sql.execute("INSERT INTO `odd ``name``` VALUES (1, 'x;y'), (2, NULL)");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO bulk VALUES (?, ?, ?)")) {
                for (int i = 0; i < BULK_ROWS; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "row '" + i + "' \\ " + (i % 7 == 0 ? "\n" : ""));
                    insert.setLong(3, (long) i * 1_000_003L - 7);
                    insert.addBatch();
                    if (i % 5000 == 4999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
            connection.setAutoCommit(true);
        }

        Path file = dir.resolve("backup.sql.gz");
        SchemaDump.Summary summary;
        long started = System.nanoTime();
        try (Connection connection = open(source);
             Writer out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)),
                     StandardCharsets.UTF_8))) {
            summary = SchemaDump.write(connection, out);
        }
        long dumpMillis = (System.nanoTime() - started) / 1_000_000;
        started = System.nanoTime();
        try (Connection connection = open(target);
             BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                     StandardCharsets.UTF_8))) {
            SqlScript.run(in, connection);
        }
        long restoreMillis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("SchemaDump: %d rows dumped in %d ms (%d bytes gzipped), restored in %d ms on %s%n",
                summary.totalRows(), dumpMillis, Files.size(file), restoreMillis, DB.serverDescription());

        assertEquals(Map.of("bulk", (long) BULK_ROWS, "category", 2L, "empty_one", 0L, "odd `name`", 2L, "product", 3L),
                summary.rowCounts());
        try (Connection from = open(source); Connection to = open(target)) {
            for (String table : summary.rowCounts().keySet()) {
                assertEquals(showCreate(from, "TABLE", table), showCreate(to, "TABLE", table), table);
                assertEquals(rows(from, table), rows(to, table), table);
            }
            assertEquals(rows(from, "cheap"), rows(to, "cheap"), "the view is restored");
            try (Statement sql = to.createStatement()) {
                sql.execute("INSERT INTO category (name) VALUES ('Garden')");
                try (ResultSet id = sql.executeQuery("SELECT id FROM category WHERE name = 'Garden'")) {
                    id.next();
                    assertEquals(3, id.getInt(1), "AUTO_INCREMENT carries on where it was");
                }
            }
        }
    }

    @Test
    void eitherDriverWritesTheSameDumpAndADumpRestoresWithTheOther() throws Exception {
        String source = DB.createDatabase("cross_src");
        String target = DB.createDatabase("cross_dst");
        try (Connection connection = open(source)) {
            everyColumnKind(connection);
        }
        String ours = dump(source);
        String theirs = dump(DB.driver().other().url(source));
        assertEquals(withoutFirstLine(ours), withoutFirstLine(theirs),
                "the same text from " + DB.driver() + " and " + DB.driver().other() + ", but for the time taken");
        try (Connection connection = open(DB.driver().other().url(target))) {
            SqlScript.run(new StringReader(ours), connection);
        }
        try (Connection from = open(source); Connection to = open(target)) {
            for (String table : List.of("category", "product")) {
                assertEquals(rows(from, table), rows(to, table), table + ", restored with " + DB.driver().other());
            }
        }
    }

    private static String dump(String url) throws SQLException, java.io.IOException {
        StringWriter out = new StringWriter();
        try (Connection connection = open(url)) {
            SchemaDump.write(connection, out);
        }
        return out.toString();
    }

    private static String withoutFirstLine(String dump) {
        return dump.substring(dump.indexOf('\n') + 1);
    }

    @Test
    void aDumpIsOneConsistentSnapshotEvenWhileWritersCommit() throws Exception {
        String source = DB.createDatabase("snap");
        try (Connection connection = open(source); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE a (id INT PRIMARY KEY)");
            sql.execute("CREATE TABLE b (id INT PRIMARY KEY)");
            sql.execute("INSERT INTO a VALUES (1)");
            sql.execute("INSERT INTO b VALUES (1)");
        }
        // The writer commits to both tables in one transaction after the dump has read table a.
        AtomicBoolean committed = new AtomicBoolean();
        try (Connection dumping = open(source); Connection writer = open(source)) {
            Writer out = new StringWriter() {
                @Override
                public void write(String text) {
                    super.write(text);
                    if (!committed.get() && text.contains("CREATE TABLE `b`")) {
                        try (Statement sql = writer.createStatement()) {
                            writer.setAutoCommit(false);
                            sql.execute("INSERT INTO a VALUES (2)");
                            sql.execute("INSERT INTO b VALUES (2)");
                            writer.commit();
                            committed.set(true);
                        } catch (SQLException e) {
                            throw new AssertionError(e);
                        }
                    }
                }
            };
            SchemaDump.Summary summary = SchemaDump.write(dumping, out);
            assertTrue(committed.get(), "the writer committed while the dump ran");
            assertEquals(Map.of("a", 1L, "b", 1L), summary.rowCounts(), "neither table sees the later commit");
            assertTrue(dumping.getAutoCommit(), "the connection is handed back as it came");
        }
        try (Connection after = open(source); Statement sql = after.createStatement();
             ResultSet rows = sql.executeQuery("SELECT (SELECT COUNT(*) FROM a), (SELECT COUNT(*) FROM b)")) {
            assertTrue(rows.next());
            assertEquals(List.of(2, 2), List.of(rows.getInt(1), rows.getInt(2)), "the commit is in the database");
        }
    }

    /**
     * Tables {@code category} and {@code product} with a column of every kind a dump reads differently, filled
     * with the values drivers disagree on: fractions of a second, negative times, years, wide bits and decimals,
     * bytes, NULLs, and zero dates, which the server takes once the session's mode allows them.
     */
    private static void everyColumnKind(Connection connection) throws SQLException {
        try (Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE category (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL UNIQUE)");
            sql.execute("CREATE TABLE product (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(255) CHARACTER SET utf8mb4,"
                    + " price DECIMAL(12,4), ratio DOUBLE, weight FLOAT, active TINYINT(1), flags BIT(5),"
                    + " kind ENUM('a','b','c'), photo BLOB, digest BINARY(4), notes TEXT, born DATE, seen DATETIME(3),"
                    + " stamped TIMESTAMP NULL, at_time TIME, yr YEAR, category_id BIGINT,"
                    + " precise DATETIME(6), short_time TIME(6), wide BIT(64), big DECIMAL(65,30), huge BIGINT UNSIGNED,"
                    + " zero_day DATE, zero_moment DATETIME, tags SET('x','y'),"
                    + " CONSTRAINT fk_cat FOREIGN KEY (category_id) REFERENCES category (id))");
            sql.execute("INSERT INTO category (name) VALUES ('Kitchen'), ('Office ''quoted''')");
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO product (name, price, ratio, weight,"
                    + " active, flags, kind, photo, digest, notes, born, seen, stamped, at_time, yr, category_id)"
                    + " VALUES (?, ?, ?, ?, ?, b'10101', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Object[][] rows = {
                    {"It's a \"mug\" \\ with\nnewline\r\tand \u0000 nul and \u001a and emoji \uD83D\uDE00 and ü",
                        "3.1416", 1.0 / 3, 2.5f, true, "a", new byte[] {0, 1, 2, (byte) 0xff, 39, 92}, new byte[] {1, 2, 3, 4},
                        "long text ; with semicolon -- and dashes /* not a comment */", "2024-02-29",
                        "2024-03-01 12:34:56.789", "2024-03-31 01:30:00", "23:59:58", 2024, 1L},
                    {null, null, null, null, null, null, null, null, null, null, null, null, null, null, null},
                    {"", "-0.0001", -1e300, 0f, false, "c", new byte[0], new byte[] {0, 0, 0, 0}, "", "1970-01-01",
                        "1999-12-31 23:59:59.000", "2038-01-19 03:14:07", "-838:59:59", 1901, 2L},
                };
                for (Object[] row : rows) {
                    for (int i = 0; i < row.length; i++) {
                        insert.setObject(i + 1, row[i]);
                    }
                    insert.execute();
                }
            }
            sql.execute("SET SESSION sql_mode = ''");
            sql.execute("UPDATE product SET precise = '2024-03-01 12:34:56.123456', short_time = '-12:00:00.000001',"
                    + " wide = b'1000000000000000000000000000000000000000000000000000000000000001',"
                    + " big = '12345678901234567890123456789012345.123456789012345678901234567891',"
                    + " huge = 18446744073709551615, zero_day = '0000-00-00', zero_moment = '0000-00-00 00:00:00',"
                    + " tags = 'x,y' WHERE id = 1");
            sql.execute("UPDATE product SET precise = '1970-01-01 00:00:01.000001', short_time = '00:00:00.5',"
                    + " wide = b'0', big = '-0.000000000000000000000000000001', huge = 0, zero_day = '2024-00-00',"
                    + " zero_moment = '2024-02-00 00:00:00', tags = '' WHERE id = 3");
        }
    }

    private static String showCreate(Connection connection, String kind, String name) throws SQLException {
        try (Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SHOW CREATE " + kind + " " + SchemaDump.quote(name))) {
            row.next();
            return row.getString(2);
        }
    }

    /**
     * Every row, in primary-key order, each value as the server's own bytes (its text for numbers and dates),
     * which any driver reads as a string.
     */
    private static List<String> rows(Connection connection, String table) throws SQLException {
        StringBuilder select = new StringBuilder();
        try (PreparedStatement columns = connection.prepareStatement("SELECT COLUMN_NAME FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            columns.setString(1, table);
            try (ResultSet column = columns.executeQuery()) {
                while (column.next()) {
                    select.append(select.length() == 0 ? "SELECT " : ", ")
                            .append("HEX(CAST(").append(SchemaDump.quote(column.getString(1))).append(" AS BINARY))");
                }
            }
        }
        List<String> rows = new ArrayList<>();
        try (Statement sql = connection.createStatement();
             ResultSet result = sql.executeQuery(select + " FROM " + SchemaDump.quote(table) + " ORDER BY 1")) {
            int width = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int c = 1; c <= width; c++) {
                    row.append(result.getString(c)).append(' ');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
