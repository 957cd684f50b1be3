package dev.upgradegate.migrations;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one-upgrade-per-database lease: a row in {@code UPGRADEGATE_LOCK} naming the holder, its start and a
 * heartbeat. The row is the exclusion: it is taken by an INSERT of its fixed key, or, over an interrupted
 * upgrade's row, by an UPDATE conditional on that row being unchanged, each committed on its own before any
 * migration runs. A unique key and a conditional write are what every server, and Galera's certification across a
 * cluster's nodes, lets exactly one session win.
 * <p>
 * A named lock (MySQL's {@code GET_LOCK}, PostgreSQL's advisory lock) is held beside it by the same dedicated
 * connection, for what the row cannot tell: it vanishes with its session, so a row whose named lock is gone is an
 * upgrade that was interrupted, seen at once by every session of the server. On a Galera cluster named locks are
 * local to a node: there a row is alive while its heartbeat is younger than the stale limit, and interrupted after.
 */
public final class UpgradeLock implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    /** MySQL refuses lock names longer than this. */
    static final int MAX_NAME_LENGTH = 64;
    static final String TABLE = "UPGRADEGATE_LOCK";
    /**
     * A lease is named by its owner column, which ends in a token of its own: compared as text, it tells two
     * leases of one process apart without comparing times, which drivers round (Connector/J sends a timestamp to
     * MariaDB 10 cut to the second) and shift (time zones).
     */
    private static final String ROW = " WHERE ID = 1 AND OWNER = ?";
    private static final SecureRandom TOKENS = new SecureRandom();

    private final Connection connection;
    private final Dialect dialect;
    private final String name;
    private final String lease;
    private final LockInfo previous;
    private volatile boolean lost;

    private UpgradeLock(Connection connection, Dialect dialect, String name, String lease, LockInfo previous) {
        this.connection = connection;
        this.dialect = dialect;
        this.name = name;
        this.lease = lease;
        this.previous = previous;
    }

    /** The named lock's name for the schema the connection works in. */
    public static String nameFor(Connection connection) throws SQLException {
        String name = "upgradegate." + Dialect.of(connection).schemaName(connection);
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

    /** The lease table's five columns, for a SELECT whose FROM has {@link #join()}; the lock's name is its parameter. */
    static String columns(Dialect dialect) {
        return dialect.lockHolder() + ", l.OWNER, l.STARTED, l.HEARTBEAT, " + dialect.secondsSince("l.HEARTBEAT");
    }

    /** The same when the table does not exist yet: only the named lock can be held. */
    static String columnsWithoutTable(Dialect dialect) {
        return dialect.lockHolder() + ", NULL, NULL, NULL, NULL";
    }

    /** The lease row as a LEFT JOIN to any one-row SELECT. */
    static String join() {
        return " LEFT JOIN " + TABLE + " l ON l.ID = 1";
    }

    /**
     * Takes the lease without waiting. On success the lease owns {@code connection} and closes it on
     * {@link #close()}; on failure the caller keeps it. A lease left by an interrupted upgrade is taken over, and so
     * is the engine's lock that upgrade left behind (and only that one).
     *
     * @param staleSeconds how long a silent lease counts as alive where named locks cannot tell (a cluster)
     * @return the lease, or {@code null} when a live upgrade holds it
     */
    public static UpgradeLock tryAcquire(Connection connection, String owner, LeftLock engineLock, int staleSeconds)
            throws SQLException {
        Dialect dialect = Dialect.of(connection);
        String name = nameFor(connection);
        // The lease is written and ended in statements of its own, whatever a pool's connection came with.
        connection.setAutoCommit(true);
        if (!namedLock(connection, dialect, dialect.tryLock(), name)) {
            return null;
        }
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (ID INT NOT NULL PRIMARY KEY,"
                        + " OWNER VARCHAR(255) NOT NULL, STARTED " + dialect.timestampType() + " NOT NULL,"
                        + " HEARTBEAT " + dialect.timestampType() + " NOT NULL)");
            }
            boolean nodeLocal = dialect.namedLocksNodeLocal(connection);
            // The named lock seen is this session's own: only a cluster's heartbeat can say the row is alive elsewhere.
            LockInfo previous = inspect(connection, dialect, name, nodeLocal, staleSeconds).left();
            boolean alive = nodeLocal && previous.owner() != null && previous.heartbeatAgeSeconds() <= staleSeconds;
            String holder = LockInfo.lease(owner, TOKENS.nextLong());
            if (alive || (previous.owner() == null ? !insert(connection, dialect, holder)
                    : !takeOver(connection, dialect, holder, previous, nodeLocal, staleSeconds))) {
                unlock(connection, dialect, name, false);
                return null;
            }
            if (previous.owner() != null) {
                LOG.warning(() -> name + ": took over the upgrade lease left by " + previous.owner() + " (started "
                        + previous.started() + "); that upgrade was interrupted");
                engineLock.releaseIfTakenSince(connection, previous.started());
            }
            return new UpgradeLock(connection, dialect, name, holder, previous.owner() == null ? null : previous);
        } catch (SQLException | RuntimeException e) {
            unlock(connection, dialect, name, true);
            throw e;
        }
    }

    /** A first lease: the INSERT of the one key; a session that loses the race gets a duplicate key, or on Galera a certification failure. */
    private static boolean insert(Connection connection, Dialect dialect, String owner) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE
                + " (ID, OWNER, STARTED, HEARTBEAT) VALUES (1, ?, " + dialect.now() + ", " + dialect.now() + ")")) {
            insert.setString(1, owner);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            if (Sql.isLostRace(e)) {
                return false;
            }
            throw e;
        }
    }

    /** An interrupted lease, replaced only if it is still the one judged interrupted (and, on a cluster, still silent). */
    private static boolean takeOver(Connection connection, Dialect dialect, String owner, LockInfo previous,
                                    boolean nodeLocal, int staleSeconds) throws SQLException {
        String silent = nodeLocal ? " AND " + dialect.secondsSince("HEARTBEAT") + " > ?" : "";
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + TABLE + " SET OWNER = ?, STARTED = "
                + dialect.now() + ", HEARTBEAT = " + dialect.now() + ROW + silent)) {
            update.setString(1, owner);
            update.setString(2, previous.lease());
            if (nodeLocal) {
                update.setInt(3, staleSeconds);
            }
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            if (Sql.isLostRace(e)) {
                return false;
            }
            throw e;
        }
    }

    /** Who holds or last held the lease of the connection's schema. */
    public static LockInfo inspect(Connection connection, int staleSeconds) throws SQLException {
        Dialect dialect = Dialect.of(connection);
        return inspect(connection, dialect, nameFor(connection), dialect.namedLocksNodeLocal(connection), staleSeconds);
    }

    private static LockInfo inspect(Connection connection, Dialect dialect, String name, boolean nodeLocal,
                                    int staleSeconds) throws SQLException {
        boolean table = Sql.tableExists(connection, TABLE);
        try (PreparedStatement inspect = connection.prepareStatement("SELECT "
                + (table ? columns(dialect) : columnsWithoutTable(dialect)) + " FROM (SELECT 1 AS one) d"
                + (table ? join() : ""))) {
            dialect.bindLock(inspect, 1, name);
            try (ResultSet row = inspect.executeQuery()) {
                row.next();
                return LockInfo.read(row, 1, nodeLocal, staleSeconds);
            }
        }
    }

    /** Whether a live upgrade, on any node, holds the lease of the connection's schema. */
    public static boolean isHeld(Connection connection, int staleSeconds) throws SQLException {
        return inspect(connection, staleSeconds).held();
    }

    /** What became of a request to release a lease. */
    public enum Release { NOTHING_HELD, RELEASED, REFUSED_LIVE_OWNER }

    /**
     * Releases a stale lease: one left by an interrupted upgrade, or one whose holder is alive but has not renewed
     * its heartbeat for {@code staleSeconds} (its session is killed). A live, beating owner's lease is never taken.
     * Also clears an engine lock older than {@code staleSeconds}.
     */
    public static Release releaseStale(Connection connection, int staleSeconds, LeftLock engineLock)
            throws SQLException {
        Dialect dialect = Dialect.of(connection);
        LockInfo info = inspect(connection, staleSeconds);
        if (info.held() && !info.stale(staleSeconds)) {
            return Release.REFUSED_LIVE_OWNER;
        }
        boolean released = false;
        if (info.held() && info.holderSession() != null && info.holderSession() > 0) {
            try (Statement kill = connection.createStatement()) {
                dialect.killSession(kill, info.holderSession());
            }
            released = true;
        }
        if (info.owner() != null) {
            // The row is the only proof of who took a fresh engine lock: once it is gone, the next upgrade
            // could not tell that lock from a stranger's and would wait on it. So it goes with the row.
            engineLock.releaseIfTakenSince(connection, info.started());
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + ROW)) {
                delete.setString(1, info.lease());
                released |= delete.executeUpdate() > 0;
            }
        }
        released |= engineLock.releaseIfOlderThan(connection, staleSeconds);
        if (released) {
            LOG.warning(() -> "released a stale upgrade lock: " + info);
        }
        return released ? Release.RELEASED : Release.NOTHING_HELD;
    }

    /**
     * Renews the lease's heartbeat; the upgrade calls it while it runs. A no-op once closed.
     *
     * @throws SQLException also when the lease is no longer this one's: released as stale, or taken over
     */
    public synchronized void heartbeat() throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        try (PreparedStatement beat = connection.prepareStatement("UPDATE " + TABLE + " SET HEARTBEAT = "
                + dialect.now() + ROW)) {
            beat.setString(1, lease);
            if (beat.executeUpdate() == 0) {
                lost = true;
                throw new SQLException(name + ": this upgrade's lease was released or taken over by another node");
            }
        }
    }

    /**
     * Whether a heartbeat found the lease no longer this one's: on a cluster, another node judged it interrupted
     * (silent for longer than the stale limit, as under a DDL that held every commit) and took it over.
     */
    public boolean lost() {
        return lost;
    }

    public String name() {
        return name;
    }

    /** The interrupted upgrade this lease took over, or {@code null}. */
    public LockInfo previous() {
        return previous;
    }

    /** Ends the lease: its row goes (never another's), then the named lock, then the connection. */
    @Override
    public synchronized void close() throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + TABLE + ROW)) {
            delete.setString(1, lease);
            delete.executeUpdate();
        } finally {
            unlock(connection, dialect, name, true);
        }
    }

    private static boolean namedLock(Connection connection, Dialect dialect, String sql, String name)
            throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(sql)) {
            dialect.bindLock(lock, 1, name);
            try (ResultSet result = lock.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    /** Gives the named lock back; the connection is closed too, or left to the caller who lent it. */
    private static void unlock(Connection connection, Dialect dialect, String name, boolean close) throws SQLException {
        try {
            namedLock(connection, dialect, dialect.unlock(), name);
        } catch (SQLException e) {
            if (!close) {
                throw e;
            }
            // Closing the connection gives the lock back as well.
            LOG.log(Level.FINE, name + ": could not release the named lock", e);
        } finally {
            if (close) {
                connection.close();
            }
        }
    }

}
