package dev.upgradegate.gate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import dev.upgradegate.migrations.Dialect;
import dev.upgradegate.migrations.Sql;

/**
 * UpgradeGate's own table in a webapp's database, {@code UPGRADEGATE_MAINTENANCE}: one row per webapp
 * in maintenance. Created on first use, so a webapp that never uses maintenance keeps its schema as is.
 */
public final class MaintenanceTable {

    public static final String TABLE = "UPGRADEGATE_MAINTENANCE";
    /** The key column, and the columns of a row in the order {@link #from(Object[])} reads them. */
    public static final String KEY = "WEBAPP";
    public static final List<String> COLUMNS = List.of("MESSAGE", "UNTIL_MILLIS", "SECRET", "SET_BY", "SET_AT_MILLIS");

    private static final String CREATE = "CREATE TABLE IF NOT EXISTS " + TABLE + " ("
            + "WEBAPP VARCHAR(190) NOT NULL PRIMARY KEY, "
            + "MESSAGE VARCHAR(1000) NULL, "
            + "UNTIL_MILLIS BIGINT NOT NULL, "
            + "SECRET VARCHAR(100) NOT NULL, "
            + "SET_BY VARCHAR(190) NULL, "
            + "SET_AT_MILLIS BIGINT NOT NULL)";
    private static final String DELETE = "DELETE FROM " + TABLE + " WHERE WEBAPP = ?";

    private MaintenanceTable() {
    }

    /**
     * The webapp's maintenance row, expired or not, as the background check reads it with the rest of its
     * state (the key {@link #KEY}, the {@link #COLUMNS}); {@code null} for no row.
     */
    public static Maintenance from(Object[] row) {
        return row == null ? null : new Maintenance((String) row[0], ((Number) row[1]).longValue(), (String) row[2],
                (String) row[3], ((Number) row[4]).longValue());
    }

    /**
     * Turns maintenance on for {@code webapp}, replacing any earlier row and so its secret: the one way
     * the HTTP API, JMX and the CLI all take, so they store the same thing.
     *
     * @param untilMillis when it ends by itself, or 0 for never
     * @param secret the bypass secret, or {@code null} for a random one
     */
    public static Maintenance turnOn(Connection connection, String webapp, String message, long untilMillis,
                                     String secret, String by) throws SQLException {
        Maintenance next = new Maintenance(message, untilMillis, secret != null ? secret : Secrets.generate(), by,
                System.currentTimeMillis());
        write(connection, webapp, next);
        return next;
    }

    public static void write(Connection connection, String webapp, Maintenance maintenance) throws SQLException {
        try (Statement create = connection.createStatement()) {
            create.execute(CREATE);
        }
        try (PreparedStatement upsert = connection.prepareStatement(Dialect.of(connection).upsert(TABLE, KEY, COLUMNS))) {
            // In the order of COLUMNS, after the key.
            upsert.setString(1, webapp);
            upsert.setString(2, maintenance.message());
            upsert.setLong(3, maintenance.untilMillis());
            upsert.setString(4, maintenance.secret());
            upsert.setString(5, maintenance.setBy());
            upsert.setLong(6, maintenance.setAtMillis());
            upsert.executeUpdate();
        }
        commitIfNeeded(connection);
    }

    /** Removes the webapp's row; whether there was one. */
    public static boolean clear(Connection connection, String webapp) throws SQLException {
        if (!Sql.tableExists(connection, TABLE)) {
            return false;
        }
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setString(1, webapp);
            boolean deleted = delete.executeUpdate() > 0;
            commitIfNeeded(connection);
            return deleted;
        }
    }

    /** A container pool may hand out connections without auto-commit. */
    private static void commitIfNeeded(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }
}
