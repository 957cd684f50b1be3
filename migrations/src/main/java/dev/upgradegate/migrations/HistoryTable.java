package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;

/**
 * An engine's history table, read through a cheap fingerprint (row count, newest order, newest date): the
 * rows themselves are read again only when it changed, so a steady state costs no statement of its own
 * beyond the fingerprint, which {@link StateProbe} reads in the same round trip as the lease.
 */
public final class HistoryTable {

    /** What a history looks like from afar; equal fingerprints mean an unchanged history. */
    public static final class Fingerprint {
        final int rows;
        final Instant last;
        private final String key;

        Fingerprint(int rows, String order, Instant last) {
            this.rows = rows;
            this.last = last;
            this.key = rows + "/" + order + "/" + last;
        }
    }

    private final String schema;
    private final String table;
    private final String qualified;
    private final String fingerprint;
    private final String join;
    private volatile String judgedFor;
    private volatile SchemaState state;

    /** @param schema the schema the webapp's engine keeps its history in, or {@code null} for the connection's */
    HistoryTable(String schema, String table, String orderColumn, String dateColumn) {
        this.schema = schema;
        this.table = table;
        this.qualified = schema == null ? table : schema + "." + table;
        // One scan for all three: the table has no index that would make three scalar subqueries cheap.
        this.fingerprint = "SELECT COUNT(*) AS h_rows, MAX(" + orderColumn + ") AS h_order, MAX(" + dateColumn
                + ") AS h_last FROM " + qualified;
        this.join = " CROSS JOIN (" + fingerprint + ") h";
    }

    /** The table's name, without its schema. */
    public String table() {
        return table;
    }

    /** The schema configured for the history, or {@code null} when it is the connection's own. */
    public String schema() {
        return schema;
    }

    /** The name to read the table by: with its schema where one is configured. */
    public String qualified() {
        return qualified;
    }

    /** The fingerprint's three columns, for a SELECT list whose FROM has {@link #join()}. */
    static String columns() {
        return "h.h_rows, h.h_order, h.h_last";
    }

    /** The fingerprint as a one-row derived table, {@code h}, to join to any one-row SELECT. */
    String join() {
        return join;
    }

    /** The fingerprint from three columns of {@link #columns()}, starting at {@code first}. */
    static Fingerprint read(ResultSet row, int first) throws SQLException {
        Timestamp newest = row.getTimestamp(first + 2);
        return new Fingerprint(row.getInt(first), row.getString(first + 1), newest == null ? null : newest.toInstant());
    }

    /** Reads the fingerprint on its own; {@code null} when the table does not exist. */
    public Fingerprint fingerprint(Connection connection) throws SQLException {
        if (!Sql.tableExists(connection, schema, table)) {
            return null;
        }
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(fingerprint)) {
            row.next();
            return read(row, 1);
        } catch (SQLException e) {
            // Dropped since the look above.
            if (Sql.isMissingTable(e)) {
                return null;
            }
            throw e;
        }
    }

    /** Work that reads the whole history and judges it. */
    interface Judge {
        SchemaState judge(Connection connection, int rows, Instant last) throws SQLException, MigrationException;
    }

    /**
     * The state of the database, judged again only when the history changed since the last call.
     *
     * @param now the history's fingerprint, or {@code null} when the table does not exist (then so is the result)
     */
    SchemaState inspect(Connection connection, Fingerprint now, Judge judge) throws SQLException, MigrationException {
        if (now == null) {
            return null;
        }
        SchemaState known = state;
        if (known != null && now.key.equals(judgedFor)) {
            return known;
        }
        SchemaState judged = judge.judge(connection, now.rows, now.last);
        state = judged;
        judgedFor = now.key;
        return judged;
    }

    /** {@code classpath:/db/x.xml}, {@code db\x.xml} and {@code /db/x.xml} all name {@code db/x.xml}. */
    static String normalPath(String file) {
        String path = String.valueOf(file).replace('\\', '/');
        if (path.toLowerCase(Locale.ROOT).startsWith("classpath:")) {
            path = path.substring("classpath:".length());
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return path;
    }
}
