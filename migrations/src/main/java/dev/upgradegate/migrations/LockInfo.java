package dev.upgradegate.migrations;

import java.time.Instant;

/**
 * Who holds, or last held, a schema's upgrade lease. The lease row outlives its holder's session, so
 * an upgrade whose process died is seen as interrupted, by every node and after any restart.
 */
public final class LockInfo {

    static final LockInfo FREE = new LockInfo(null, null, null, null, 0);
    /** Held, by a session not known yet: an upgrade has the named lock but has not written its lease row. */
    static final LockInfo STARTING = new LockInfo(-1L, null, null, null, 0);

    private final Long holderSession;
    private final String owner;
    private final Instant started;
    private final Instant heartbeat;
    private final long heartbeatAgeSeconds;

    LockInfo(Long holderSession, String owner, Instant started, Instant heartbeat, long heartbeatAgeSeconds) {
        this.holderSession = holderSession;
        this.owner = owner;
        this.started = started;
        this.heartbeat = heartbeat;
        this.heartbeatAgeSeconds = heartbeatAgeSeconds;
    }

    /** Whether a live database session holds the lock now. */
    public boolean held() {
        return holderSession != null;
    }

    /** Whether an upgrade started and its holder is gone without finishing: killed, crashed, cut off. */
    public boolean interrupted() {
        return holderSession == null && owner != null;
    }

    /** Whether the holder is gone, or alive but silent for longer than {@code staleSeconds}. */
    public boolean stale(int staleSeconds) {
        return interrupted() || holderSession != null && owner != null && heartbeatAgeSeconds > staleSeconds;
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

    /** The database session that holds the lock, or {@code null}. */
    public Long holderSession() {
        return holderSession;
    }

    @Override
    public String toString() {
        if (owner == null) {
            return !held() ? "free" : holderSession > 0 ? "held by database session " + holderSession
                    : "held by an upgrade that is just starting";
        }
        return (interrupted() ? "left by " : "held by ") + owner + " since " + started
                + (heartbeat == null ? "" : ", last heartbeat " + heartbeat);
    }
}
