package dev.upgradegate.gate.upgrade;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeListener;

/**
 * A running or finished upgrade, as far as it has got, with its own log. Written by the upgrading
 * thread only; read by any.
 */
public final class UpgradeProgress implements UpgradeListener {

    /** Lines kept in memory; an upgrade that logs more keeps its first and last ones. */
    static final int MAX_LOG_LINES = 5000;

    private final long startedMillis = System.currentTimeMillis();
    private final String client;
    private final String fromVersion;
    private final String toVersion;
    private final boolean wizard;
    private final List<String> log = new ArrayList<>();
    private final List<PendingChangeset> ran = new ArrayList<>();
    private volatile int total = -1;
    private volatile int current;
    private volatile String changeset;
    private volatile long finishedMillis;
    private volatile boolean succeeded;
    private volatile PendingChangeset failedChangeset;
    private volatile String error;
    private final AtomicBoolean resultShown = new AtomicBoolean();

    UpgradeProgress(String client, String fromVersion, String toVersion, boolean wizard) {
        this.client = client;
        this.fromVersion = fromVersion;
        this.toVersion = toVersion;
        this.wizard = wizard;
        log("upgrade from " + (fromVersion == null ? "an empty database" : "schema " + fromVersion) + " to "
                + toVersion + " requested from " + client);
    }

    @Override
    public void starting(int total) {
        this.total = total;
        log(total + (total == 1 ? " changeset" : " changesets") + " to run");
    }

    @Override
    public void changesetStarting(int number, PendingChangeset changeset) {
        this.current = number;
        this.changeset = changeset.id();
        log("[" + number + "/" + total + "] running " + changeset);
    }

    @Override
    public void changesetDone(int number, PendingChangeset changeset) {
        synchronized (ran) {
            ran.add(changeset);
        }
        log("[" + number + "/" + total + "] done " + changeset.id());
    }

    void failed(PendingChangeset changeset, String error) {
        this.failedChangeset = changeset;
        this.error = error;
        log("FAILED" + (changeset == null ? "" : " in changeset " + changeset) + ": " + error);
    }

    void finished(boolean succeeded) {
        this.succeeded = succeeded;
        this.finishedMillis = System.currentTimeMillis();
        log(succeeded ? "upgrade finished: schema is now " + toVersion : "upgrade stopped; the schema is still behind");
    }

    @Override
    public void engineSaid(String line) {
        log("    " + line);
    }

    private void log(String line) {
        synchronized (log) {
            if (log.size() == MAX_LOG_LINES) {
                log.remove(MAX_LOG_LINES / 2);
            }
            log.add(Instant.now() + "  " + line);
        }
    }

    /** The last {@code lines} lines of this upgrade's log. */
    public List<String> logTail(int lines) {
        synchronized (log) {
            return List.copyOf(log.subList(Math.max(0, log.size() - lines), log.size()));
        }
    }

    /** The whole log, one line per entry. */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** The changesets that have run, in order. */
    public List<PendingChangeset> ran() {
        synchronized (ran) {
            return List.copyOf(ran);
        }
    }

    /** How many changesets the upgrade runs; -1 until Liquibase has planned it. */
    public int total() {
        return total;
    }

    /** The 1-based number of the changeset running now (or last run). */
    public int current() {
        return current;
    }

    /** The id of the changeset running now (or last run), or {@code null}. */
    public String changeset() {
        return changeset;
    }

    public long startedMillis() {
        return startedMillis;
    }

    /** 0 while running. */
    public long finishedMillis() {
        return finishedMillis;
    }

    public boolean running() {
        return finishedMillis == 0;
    }

    public boolean succeeded() {
        return succeeded;
    }

    /** The changeset the upgrade failed in, or {@code null}. */
    public PendingChangeset failedChangeset() {
        return failedChangeset;
    }

    /** The database's words for the failure: for the signed-in administrator only. */
    public String error() {
        return error;
    }

    /** {@code true} the first time only: the success page is shown once, then the endpoint is gone. */
    public boolean firstResultView() {
        return resultShown.compareAndSet(false, true);
    }

    /** The address the upgrade was started from. */
    public String client() {
        return client;
    }

    /** The schema version before, or {@code null} for an empty database. */
    public String fromVersion() {
        return fromVersion;
    }

    public String toVersion() {
        return toVersion;
    }

    /** Whether the wizard started it, and so shows its result page once the webapp is up. */
    public boolean wizard() {
        return wizard;
    }
}
