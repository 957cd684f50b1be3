package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The one-upgrade-per-database lock: a MySQL/MariaDB named lock (GET_LOCK) held by a dedicated
 * connection for the whole upgrade. Every node sharing the database sees it through IS_USED_LOCK,
 * and it vanishes with the connection if the holder dies.
 */
public final class UpgradeLock implements AutoCloseable {

    /** MySQL refuses lock names longer than this. */
    static final int MAX_NAME_LENGTH = 64;

    private final Connection connection;
    private final String name;

    private UpgradeLock(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** The lock's name for the schema the connection points at. */
    public static String nameFor(Connection connection) throws SQLException {
        String name = "upgradegate." + connection.getCatalog();
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }

    /**
     * Takes the lock without waiting. On success the lock owns {@code connection} and closes it on
     * {@link #close()}; on failure the caller keeps it.
     *
     * @return the lock, or {@code null} when someone else holds it
     */
    public static UpgradeLock tryAcquire(Connection connection) throws SQLException {
        String name = nameFor(connection);
        try (PreparedStatement get = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            get.setString(1, name);
            try (ResultSet result = get.executeQuery()) {
                return result.next() && result.getInt(1) == 1 ? new UpgradeLock(connection, name) : null;
            }
        }
    }

    /** Whether any session, on any node, holds the upgrade lock of the connection's schema. */
    public static boolean isHeld(Connection connection) throws SQLException {
        try (PreparedStatement used = connection.prepareStatement("SELECT IS_USED_LOCK(?)")) {
            used.setString(1, nameFor(connection));
            try (ResultSet result = used.executeQuery()) {
                return result.next() && result.getObject(1) != null;
            }
        }
    }

    public String name() {
        return name;
    }

    @Override
    public void close() throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            release.setString(1, name);
            release.execute();
        } finally {
            connection.close();
        }
    }
}
