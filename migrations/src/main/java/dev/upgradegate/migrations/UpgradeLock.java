package dev.upgradegate.migrations;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * The one-upgrade-per-database lease. Two parts, because each covers the other's blind spot:
 * <ul>
 * <li>a MySQL/MariaDB named lock (GET_LOCK) held by a dedicated connection for the whole upgrade: every
 * node sees it through IS_USED_LOCK, and it vanishes with the connection when the holder dies;</li>
 * <li>a row in {@code UPGRADEGATE_LOCK} naming the holder, its start and a heartbeat, which outlives the
 * holder: a row without a named lock is an upgrade that was interrupted.</li>
 * </ul>
 */
public final class UpgradeLock implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    /** MySQL refuses lock names longer than this. */
    static final int MAX_NAME_LENGTH = 64;

    static final String TABLE = "UPGRADEGATE_LOCK";
    private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS " + TABLE
            + " (ID INT NOT NULL PRIMARY KEY, OWNER VARCHAR(255) NOT NULL, STARTED DATETIME(3) NOT NULL,"
            + " HEARTBEAT DATETIME(3) NOT NULL)";
    /** The lease's five columns, for any SELECT that joins {@link #JOIN}; the lock's name is its parameter. */
    static final String COLUMNS = "IS_USED_LOCK(?), l.OWNER, l.STARTED, l.HEARTBEAT, TIMESTAMPDIFF(SECOND, l.HEARTBEAT, NOW(3))";
    /** The same when the table does not exist yet: only the named lock can be held. */
    static final String COLUMNS_WITHOUT_TABLE = "IS_USED_LOCK(?), NULL, NULL, NULL, NULL";
    static final String JOIN = " LEFT JOIN " + TABLE + " l ON l.ID = 1";
    private static final String INSPECT = "SELECT " + COLUMNS + " FROM (SELECT 1 AS one) d" + JOIN;

    private final Connection connection;
    private final String name;
    private final LockInfo previous;

    private UpgradeLock(Connection connection, String name, LockInfo previous) {
        this.connection = connection;
        this.name = name;
        this.previous = previous;
    }

    /** The lock's name for the schema the connection points at. */
    public static String nameFor(Connection connection) throws SQLException {
        String name = "upgradegate." + connection.getCatalog();
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }

    /** This process, as a lease's owner: host name and process id. */
    public static String thisProcess() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        return host + " (pid " + ProcessHandle.current().pid() + ")";
    }

    /** Takes the lease without waiting, for this process. See {@link #tryAcquire(Connection, String)}. */
    public static UpgradeLock tryAcquire(Connection connection) throws SQLException {
        return tryAcquire(connection, thisProcess());
    }

    /**
     * Takes the lease without waiting. On success the lease owns {@code connection} and closes it on
     * {@link #close()}; on failure the caller keeps it. A lease left by an interrupted upgrade is taken
     * over, and so is the Liquibase lock that upgrade left behind (and only that one).
     *
     * @return the lease, or {@code null} when a live session holds it
     */
    public static UpgradeLock tryAcquire(Connection connection, String owner) throws SQLException {
        return tryAcquire(connection, owner, LiquibaseLock.DEFAULT);
    }

    /** As {@link #tryAcquire(Connection, String)}, taking over {@code engineLock} if the interrupted run left it. */
    public static UpgradeLock tryAcquire(Connection connection, String owner, LeftLock engineLock) throws SQLException {
        String name = nameFor(connection);
        try (PreparedStatement get = connection.prepareStatement("SELECT GET_LOCK(?, 0)")) {
            get.setString(1, name);
            try (ResultSet result = get.executeQuery()) {
                if (!result.next() || result.getInt(1) != 1) {
                    return null;
                }
            }
        }
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute(CREATE_TABLE);
            }
            LockInfo previous = inspect(connection);
            if (previous.owner() != null) {
                LOG.warning(() -> name + ": taking over the upgrade lease left by " + previous.owner() + " (started "
                        + previous.started() + "); that upgrade was interrupted");
                engineLock.releaseIfTakenSince(connection, previous.started());
            }
            try (PreparedStatement record = connection.prepareStatement("REPLACE INTO " + TABLE
                    + " (ID, OWNER, STARTED, HEARTBEAT) VALUES (1, ?, NOW(3), NOW(3))")) {
                record.setString(1, truncate(owner, 255));
                record.executeUpdate();
            }
            return new UpgradeLock(connection, name, previous.owner() == null ? null : previous);
        } catch (SQLException | RuntimeException e) {
            release(connection, name);
            throw e;
        }
    }

    /** Who holds or last held the lease of the connection's schema. Two round trips: the table, the lease. */
    public static LockInfo inspect(Connection connection) throws SQLException {
        if (!Sql.tableExists(connection, TABLE)) {
            return isHeld(connection) ? LockInfo.STARTING : LockInfo.FREE;
        }
        try (PreparedStatement inspect = connection.prepareStatement(INSPECT)) {
            inspect.setString(1, nameFor(connection));
            try (ResultSet row = inspect.executeQuery()) {
                row.next();
                return read(row, 1);
            }
        }
    }

    /** The lease from the five columns of {@link #COLUMNS}, starting at {@code first}. */
    static LockInfo read(ResultSet row, int first) throws SQLException {
        long session = row.getLong(first);
        Long holder = row.wasNull() ? null : session;
        String owner = row.getString(first + 1);
        return owner == null && holder == null ? LockInfo.FREE
                : new LockInfo(holder, owner, instant(row.getTimestamp(first + 2)), instant(row.getTimestamp(first + 3)),
                        row.getLong(first + 4));
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

    /** What became of a request to release a lease. */
    public enum Release { NOTHING_HELD, RELEASED, REFUSED_LIVE_OWNER }

    /**
     * Releases a stale lease: one left by an interrupted upgrade, or one whose holder is alive but has
     * not renewed its heartbeat for {@code staleSeconds} (its session is killed). A live, beating owner's
     * lease is never taken. Also clears a Liquibase lock older than {@code staleSeconds}.
     */
    public static Release releaseStale(Connection connection, int staleSeconds) throws SQLException {
        return releaseStale(connection, staleSeconds, LiquibaseLock.DEFAULT);
    }

    /** As {@link #releaseStale(Connection, int)}, for a webapp whose engine keeps its lock in {@code engineLock}. */
    public static Release releaseStale(Connection connection, int staleSeconds, LeftLock engineLock)
            throws SQLException {
        LockInfo info = inspect(connection);
        if (info.held() && !info.stale(staleSeconds)) {
            return Release.REFUSED_LIVE_OWNER;
        }
        boolean released = false;
        if (info.held() && info.holderSession() > 0) {
            try (Statement kill = connection.createStatement()) {
                kill.execute("KILL " + info.holderSession());
            }
            released = true;
        }
        if (info.owner() != null) {
            // The row is the only proof of who took a fresh Liquibase lock: once it is gone, the next upgrade
            // could not tell that lock from a stranger's and would wait on it. So it goes with the row.
            engineLock.releaseIfTakenSince(connection, info.started());
            try (Statement delete = connection.createStatement()) {
                delete.executeUpdate("DELETE FROM " + TABLE + " WHERE ID = 1");
            }
            released = true;
        }
        released |= engineLock.releaseIfOlderThan(connection, staleSeconds);
        if (released) {
            LOG.warning(() -> "released a stale upgrade lock: " + info);
        }
        return released ? Release.RELEASED : Release.NOTHING_HELD;
    }

    /** Renews the lease's heartbeat; the upgrade calls it while it runs. A no-op once closed. */
    public synchronized void heartbeat() throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        try (Statement beat = connection.createStatement()) {
            beat.executeUpdate("UPDATE " + TABLE + " SET HEARTBEAT = NOW(3) WHERE ID = 1");
        }
    }

    public String name() {
        return name;
    }

    /** The interrupted upgrade this lease took over, or {@code null}. */
    public LockInfo previous() {
        return previous;
    }

    /** Ends the lease: the row goes, then the named lock, then the connection. */
    @Override
    public synchronized void close() throws SQLException {
        try (Statement delete = connection.createStatement()) {
            delete.executeUpdate("DELETE FROM " + TABLE + " WHERE ID = 1");
        } finally {
            release(connection, name);
        }
    }

    private static void release(Connection connection, String name) throws SQLException {
        try (PreparedStatement release = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            release.setString(1, name);
            release.execute();
        } finally {
            connection.close();
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static String truncate(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }
}
