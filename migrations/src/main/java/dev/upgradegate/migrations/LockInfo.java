package dev.upgradegate.migrations;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Who holds, or last held, a schema's upgrade lease. The lease row outlives its holder's session, so
 * an upgrade whose process died is seen as interrupted, by every node and after any restart.
 */
public final class LockInfo {

    /** How {@link #lease(String, long)} ends an owner: a lease without it (an older UpgradeGate's) is its owner alone. */
    private static final Pattern TOKEN = Pattern.compile(" #[0-9a-f]{16}$");

    static final LockInfo FREE = new LockInfo(null, false, null, null, null, 0);

    private final Long holderSession;
    private final boolean beating;
    /** The owner column as stored: {@link #owner} and the lease's token, which {@link UpgradeLock} matches it by. */
    private final String lease;
    private final String owner;
    private final Instant started;
    private final Instant heartbeat;
    private final long heartbeatAgeSeconds;

    private LockInfo(Long holderSession, boolean beating, String lease, Instant started, Instant heartbeat,
                     long heartbeatAgeSeconds) {
        this.holderSession = holderSession;
        this.beating = beating;
        this.lease = lease;
        this.owner = lease == null ? null : TOKEN.matcher(lease).replaceFirst("");
        this.started = started;
        this.heartbeat = heartbeat;
        this.heartbeatAgeSeconds = heartbeatAgeSeconds;
    }

    /**
     * The lease from the five columns of {@link UpgradeLock#columns}, starting at {@code first}.
     *
     * @param nodeLocal whether the named lock is seen on this node only (Galera): then a lease of another node is
     *                  alive while its heartbeat is younger than {@code staleSeconds}
     */
    static LockInfo read(ResultSet row, int first, boolean nodeLocal, int staleSeconds) throws SQLException {
        long session = row.getLong(first);
        Long holder = row.wasNull() ? null : session;
        String owner = row.getString(first + 1);
        if (owner == null) {
            // A named lock without its row yet: an upgrade between taking the one and writing the other.
            return holder == null ? FREE : new LockInfo(holder, false, null, null, null, 0);
        }
        long age = row.getLong(first + 4);
        return new LockInfo(holder, holder == null && nodeLocal && age <= staleSeconds, owner,
                instant(row.getTimestamp(first + 2)), instant(row.getTimestamp(first + 3)), age);
    }

    /** The owner column of a new lease of {@code owner}: the owner, then its token, within the column's 255 characters. */
    static String lease(String owner, long token) {
        String suffix = String.format(" #%016x", token);
        return (owner.length() + suffix.length() <= 255 ? owner : owner.substring(0, 255 - suffix.length())) + suffix;
    }

    /** The owner column as stored, which names this lease alone. */
    String lease() {
        return lease;
    }

    /** This lease as its row alone tells it, for a session that holds the named lock itself. */
    LockInfo left() {
        return owner == null ? FREE : new LockInfo(null, false, lease, started, heartbeat, heartbeatAgeSeconds);
    }

    /** Whether a live upgrade holds the lock now: its session holds the named lock, or, on a cluster, it beats. */
    public boolean held() {
        return holderSession != null || beating;
    }

    /** Whether an upgrade started and its holder is gone without finishing: killed, crashed, cut off. */
    public boolean interrupted() {
        return owner != null && !held();
    }

    /** Whether the holder is gone, or alive but silent for longer than {@code staleSeconds}. */
    public boolean stale(int staleSeconds) {
        return interrupted() || owner != null && heartbeatAgeSeconds > staleSeconds;
    }

    long heartbeatAgeSeconds() {
        return heartbeatAgeSeconds;
    }

    /** Node, process and start of the holder, e.g. {@code web-2 (pid 4711)}; {@code null} when unknown. */
    public String owner() {
        return owner;
    }

    public Instant started() {
        return started;
    }

    public Instant heartbeat() {
        return heartbeat;
    }

    /** The database session of this node that holds the named lock, or {@code null} (also for a lease of another node). */
    public Long holderSession() {
        return holderSession;
    }

    @Override
    public String toString() {
        if (owner == null) {
            return !held() ? "free" : "held by database session " + holderSession + ", an upgrade that is just starting";
        }
        return (interrupted() ? "left by " : "held by ") + owner + (beating ? " on another node of the cluster" : "")
                + " since " + started
                + (heartbeat == null ? "" : ", last heartbeat " + heartbeat);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
