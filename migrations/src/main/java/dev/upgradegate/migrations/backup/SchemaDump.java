package dev.upgradegate.migrations.backup;

import java.io.IOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A consistent logical dump of one MySQL/MariaDB schema, structure and data, as SQL that the
 * {@code mysql} client (or {@link SqlScript}) replays into an empty or the same schema. JDBC only: no
 * mysqldump binary is needed on the server. Rows are read from one consistent snapshot, streamed, and
 * written as multi-row INSERTs. Any MySQL or MariaDB driver (Connector/J, MariaDB Connector/J) writes the
 * same text, and a dump written with one restores with the other.
 */
public final class SchemaDump {

    /** Rows per INSERT: big enough to restore fast, small enough for the default max_allowed_packet. */
    static final int ROWS_PER_INSERT = 500;
    static final int MAX_INSERT_CHARS = 512 * 1024;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private SchemaDump() {
    }

    /**
     * Writes the schema the connection points at. The connection's auto-commit and isolation are
     * restored afterwards; the caller closes it.
     *
     * @return the tables written and their row counts
     */
    public static Summary write(Connection connection, Writer out) throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        String schema = connection.getCatalog();
        try (Statement session = connection.createStatement()) {
            // TIMESTAMP values travel in UTC, so that a restore in another time zone keeps the instants.
            session.execute("SET SESSION time_zone = '+00:00'");
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            session.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT");
            try {
                return dump(connection, schema, out);
            } finally {
                connection.rollback();
            }
        } finally {
            connection.setAutoCommit(autoCommit);
            connection.setTransactionIsolation(isolation);
        }
    }

    private static Summary dump(Connection connection, String schema, Writer out) throws SQLException, IOException {
        Map<String, String> tables = new LinkedHashMap<>();
        List<String> views = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES"
                     + " WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME")) {
            while (rows.next()) {
                if ("VIEW".equals(rows.getString(2))) {
                    views.add(rows.getString(1));
                } else {
                    tables.put(rows.getString(1), null);
                }
            }
        }
        for (String table : tables.keySet()) {
            tables.put(table, showCreate(connection, "TABLE", table));
        }
        out.write("-- UpgradeGate backup of schema " + quote(schema) + ", taken " + Instant.now() + "\n");
        out.write("-- Restore: gunzip < FILE | mysql -u USER -p " + schema + "\n");
        out.write("SET NAMES utf8mb4;\nSET time_zone = '+00:00';\nSET FOREIGN_KEY_CHECKS = 0;\n"
                + "SET UNIQUE_CHECKS = 0;\nSET SQL_MODE = 'NO_AUTO_VALUE_ON_ZERO';\n");
        for (String view : views) {
            out.write("DROP VIEW IF EXISTS " + quote(view) + ";\n");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, String> table : tables.entrySet()) {
            out.write("\nDROP TABLE IF EXISTS " + quote(table.getKey()) + ";\n");
            out.write(table.getValue() + ";\n");
            counts.put(table.getKey(), rows(connection, table.getKey(), out));
        }
        for (String view : views) {
            out.write("\n" + showCreate(connection, "VIEW", view) + ";\n");
        }
        out.write("\nSET FOREIGN_KEY_CHECKS = 1;\nSET UNIQUE_CHECKS = 1;\n-- end of backup\n");
        out.flush();
        return new Summary(schema, counts);
    }

    private static String showCreate(Connection connection, String kind, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SHOW CREATE " + kind + " " + quote(name))) {
            row.next();
            return row.getString(2);
        }
    }

    private static long rows(Connection connection, String table, Writer out) throws SQLException, IOException {
        List<String> names = new ArrayList<>();
        List<Integer> kinds = new ArrayList<>();
        try (PreparedStatement columns = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION")) {
            columns.setString(1, table);
            try (ResultSet column = columns.executeQuery()) {
                while (column.next()) {
                    names.add(column.getString(1));
                    kinds.add(kind(column.getString(2)));
                }
            }
        }
        StringBuilder head = new StringBuilder("INSERT INTO ").append(quote(table)).append(" (");
        StringBuilder select = new StringBuilder("SELECT ");
        for (int c = 0; c < names.size(); c++) {
            String sep = c > 0 ? ", " : "";
            head.append(sep).append(quote(names.get(c)));
            select.append(sep).append(selected(quote(names.get(c)), kinds.get(c)));
        }
        head.append(") VALUES\n");
        select.append(" FROM ").append(quote(table));
        int columns = names.size();
        int[] kind = kinds.stream().mapToInt(Integer::intValue).toArray();
        long count = 0;
        try (Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            stream(statement);
            try (ResultSet rows = statement.executeQuery(select.toString())) {
                StringBuilder insert = new StringBuilder();
                int inInsert = 0;
                while (rows.next()) {
                    insert.append(inInsert == 0 ? head : ",\n").append('(');
                    for (int c = 1; c <= columns; c++) {
                        if (c > 1) {
                            insert.append(',');
                        }
                        value(rows, c, kind[c - 1], insert);
                    }
                    insert.append(')');
                    count++;
                    if (++inInsert == ROWS_PER_INSERT || insert.length() > MAX_INSERT_CHARS) {
                        flush(insert.append(";\n"), out);
                        inInsert = 0;
                    }
                }
                if (inInsert > 0) {
                    flush(insert.append(";\n"), out);
                }
            }
        }
        return count;
    }

    /** Hands the statement to the writer without first copying it into a String. */
    private static void flush(StringBuilder statement, Writer out) throws IOException {
        char[] chunk = new char[8192];
        for (int start = 0; start < statement.length(); start += chunk.length) {
            int end = Math.min(statement.length(), start + chunk.length);
            statement.getChars(start, end, chunk, 0);
            out.write(chunk, 0, end - start);
        }
        statement.setLength(0);
    }

    /** Asks the driver to stream rows instead of holding a whole table in memory. */
    private static void stream(Statement statement) throws SQLException {
        try {
            // MySQL Connector/J streams only with this marker value.
            statement.setFetchSize(Integer.MIN_VALUE);
        } catch (SQLException e) {
            statement.setFetchSize(1000);
        }
    }

    private static final int TEXT = 0;
    private static final int BINARY = 1;
    /** BIT(n): the server's binary digits, as a bit literal, which fits any width. */
    private static final int BITS = 2;
    /** Numbers: the server's own digits, never quoted. */
    private static final int DIGITS = 3;
    /** Dates, times and years: the server's own text, quoted; it needs no escaping. */
    private static final int TEMPORAL = 4;

    /**
     * How a column's values are read and written, from the server's own name of its type
     * (information_schema.COLUMNS.DATA_TYPE) rather than the driver's JDBC type: drivers disagree on those
     * (Connector/J calls TINYINT(1) BIT and YEAR a DATE, MariaDB's driver does not), and the dump must be the
     * same text whichever driver wrote it.
     */
    static int kind(String dataType) {
        switch (dataType.toLowerCase(Locale.ROOT)) {
            case "bit":
                return BITS;
            case "binary": case "varbinary": case "tinyblob": case "blob": case "mediumblob": case "longblob":
            case "geometry": case "point": case "linestring": case "polygon": case "multipoint":
            case "multilinestring": case "multipolygon": case "geometrycollection": case "geomcollection":
                return BINARY;
            case "tinyint": case "smallint": case "mediumint": case "int": case "integer": case "bigint":
            case "decimal": case "numeric": case "float": case "double": case "real":
                return DIGITS;
            case "date": case "time": case "datetime": case "timestamp": case "year":
                return TEMPORAL;
            default:
                return TEXT;
        }
    }

    /**
     * The select-list expression for a column. Whatever is not text or bytes is turned into text by the server,
     * so that every driver reads it as a plain string: the exact digits and fractions the server holds, zero dates
     * included, which no driver then converts (MariaDB's driver, for one, will not hand out a DATETIME as bytes).
     */
    static String selected(String column, int kind) {
        switch (kind) {
            case BITS:
                return "BIN(" + column + ")";
            case DIGITS: case TEMPORAL:
                return "CAST(" + column + " AS CHAR)";
            default:
                return column;
        }
    }

    static void value(ResultSet rows, int column, int kind, StringBuilder out) throws SQLException {
        switch (kind) {
            case BINARY:
                hex(rows.getBytes(column), out);
                break;
            case BITS:
                literal(rows.getString(column), "b'", "'", out);
                break;
            case DIGITS:
                literal(rows.getString(column), "", "", out);
                break;
            case TEMPORAL:
                literal(rows.getString(column), "'", "'", out);
                break;
            default:
                string(rows.getString(column), out);
        }
    }

    /** Server-made text that needs no escaping, between {@code open} and {@code close}. */
    private static void literal(String text, String open, String close, StringBuilder out) {
        if (text == null) {
            out.append("NULL");
        } else {
            out.append(open).append(text).append(close);
        }
    }

    static void hex(byte[] bytes, StringBuilder out) {
        if (bytes == null) {
            out.append("NULL");
            return;
        }
        out.append("X'");
        for (byte b : bytes) {
            out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        out.append('\'');
    }

    /** A MySQL string literal, for the default SQL mode (backslash escapes on), which the dump sets. */
    static void string(String text, StringBuilder out) {
        if (text == null) {
            out.append("NULL");
            return;
        }
        out.append('\'');
        int plain = 0;
        for (int i = 0; i < text.length(); i++) {
            String escape = escape(text.charAt(i));
            if (escape != null) {
                out.append(text, plain, i).append(escape);
                plain = i + 1;
            }
        }
        out.append(text, plain, text.length()).append('\'');
    }

    private static String escape(char c) {
        switch (c) {
            case 0: return "\\0";
            case '\'': return "\\'";
            case '"': return "\\\"";
            case '\\': return "\\\\";
            case '\n': return "\\n";
            case '\r': return "\\r";
            case 0x1a: return "\\Z";
            default: return null;
        }
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** What a dump wrote: the schema and each table's row count, in the dump's order. */
    public static final class Summary {
        private final String schema;
        private final Map<String, Long> rowCounts;

        Summary(String schema, Map<String, Long> rowCounts) {
            this.schema = schema;
            this.rowCounts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rowCounts));
        }

        public String schema() {
            return schema;
        }

        public Map<String, Long> rowCounts() {
            return rowCounts;
        }

        public long totalRows() {
            long total = 0;
            for (long rows : rowCounts.values()) {
                total += rows;
            }
            return total;
        }
    }
}
