package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;

/**
 * An engine's history table, read through a cheap fingerprint (row count, newest order, newest date): the
 * rows themselves are read again only when it changed, so a steady state costs one small statement.
 */
final class HistoryTable {

    private final String table;
    private final String fingerprintSql;
    private volatile String fingerprint;
    private volatile SchemaState state;

    HistoryTable(String table, String orderColumn, String dateColumn) {
        this.table = table;
        this.fingerprintSql = "SELECT COUNT(*), MAX(" + orderColumn + "), MAX(" + dateColumn + ") FROM " + table;
    }

    String table() {
        return table;
    }

    /** Work that reads the whole history and judges it. */
    interface Judge {
        SchemaState judge(Connection connection, int rows, Instant last) throws SQLException, MigrationException;
    }

    /** The state of the database, judged again only when the history changed since the last call. */
    SchemaState inspect(Connection connection, Judge judge) throws SQLException, MigrationException {
        int rows;
        Instant last;
        String now;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(fingerprintSql)) {
            row.next();
            rows = row.getInt(1);
            java.sql.Timestamp newest = row.getTimestamp(3);
            last = newest == null ? null : newest.toInstant();
            now = rows + "/" + row.getString(2) + "/" + last;
        } catch (SQLException e) {
            if (Sql.isMissingTable(e)) {
                return null;
            }
            throw e;
        }
        SchemaState known = state;
        if (known != null && now.equals(fingerprint)) {
            return known;
        }
        SchemaState judged = judge.judge(connection, rows, last);
        state = judged;
        fingerprint = now;
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
