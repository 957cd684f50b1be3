package dev.upgradegate.gate.status;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.db.MaintenanceTable;
import dev.upgradegate.gate.db.SettingException;
import dev.upgradegate.gate.db.WebappDatabase;
import dev.upgradegate.gate.webapp.Bundle;
import dev.upgradegate.migrations.HistoryTable;
import dev.upgradegate.migrations.LockInfo;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.SchemaVersionReader;
import dev.upgradegate.migrations.Sql;
import dev.upgradegate.migrations.StateProbe;

/**
 * What a webapp's database says of it, cached: checked first when the gate opens and then refreshed, in the
 * background, by one thread at a time once older than {@code refresh.seconds}; every check is bounded by
 * {@code db.timeoutSeconds}. Reading the status never touches the database.
 */
public final class StatusMonitor {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    private final String webapp;
    private final AppSettings settings;
    private final Bundle bundle;
    private final WebappDatabase database;
    private final SchemaVersionReader legacyVersion;
    private final StateProbe probe;
    private final Executor executor;
    private final Runnable beforeCheck;
    private final int lockStaleSeconds;
    private final long refreshNanos;
    /** A check running longer than this is abandoned: its result, if it ever comes, is dropped. */
    private final long overrunNanos;
    private final boolean gated;

    /** When the running check started (a nanoTime, never 0), or 0 when none runs. */
    private final AtomicLong checkStarted = new AtomicLong();
    private final AtomicBoolean upgrading = new AtomicBoolean();
    private final CountDownLatch firstChecked = new CountDownLatch(1);
    private volatile Status status;
    private volatile long checkedAt;
    /** The start of the check whose result is published; see {@link #publish}. Guarded by this. */
    private long publishedAsOf;
    private volatile String lastFailure;
    /** Manual maintenance in force as of the last check, or {@code null}. */
    private volatile Maintenance maintenance;

    /**
     * @param beforeCheck what must be fresh whenever the status is (the custom maintenance page)
     */
    public StatusMonitor(String webapp, AppSettings settings, Bundle bundle, WebappDatabase database,
                         int refreshSeconds, int lockStaleSeconds, Executor executor, Runnable beforeCheck) {
        this.webapp = webapp;
        this.settings = settings;
        this.bundle = bundle;
        this.database = database;
        this.executor = executor;
        this.beforeCheck = beforeCheck;
        this.lockStaleSeconds = lockStaleSeconds;
        this.refreshNanos = TimeUnit.SECONDS.toNanos(refreshSeconds);
        this.overrunNanos = TimeUnit.MILLISECONDS.toNanos(2 * database.timeoutMillis());
        this.legacyVersion = settings.versionQuery() == null ? null : new SchemaVersionReader(settings.versionQuery());
        this.probe = bundle.engine() == null ? null : new StateProbe(bundle.engine().history(), MaintenanceTable.TABLE,
                MaintenanceTable.KEY, MaintenanceTable.COLUMNS, lockStaleSeconds);
        this.gated = database.configured() || settings.problem() != null || bundle.problem() != null;
        this.checkedAt = System.nanoTime();
        this.publishedAsOf = checkedAt;
        this.status = new Status(State.STARTING, bundle.version(), null, null, null, List.of(),
                "the first check of the database has not finished yet");
    }

    /** Whether this webapp has a database to guard at all. */
    public boolean gated() {
        return gated;
    }

    /** Starts the first check, in the background: a hung database must not hold whoever opens the gate. */
    public void start() {
        if (gated) {
            checkInBackground();
        } else {
            firstChecked.countDown();
        }
    }

    /**
     * Waits for the first check, at most as long as a check may run (2 × {@code db.timeoutSeconds}: the first one
     * also loads the engine and reads the bundle's migrations), so that a webapp deployed on a healthy
     * database answers its first request with its real state. For deploy threads, never request threads.
     *
     * @return whether it finished in time
     */
    public boolean awaitFirstCheck() {
        try {
            return firstChecked.await(overrunNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The latest status: {@link State#STARTING} until the first check is done. Never reads the database. */
    public Status status() {
        return status;
    }

    /**
     * The cached status for requests and monitors (readiness, JMX), refreshed in the background when stale.
     * Allocates nothing unless a check is due.
     */
    public Status currentStatus() {
        Status current = status;
        if (System.nanoTime() - checkedAt >= refreshNanos) {
            checkInBackground();
        }
        return current;
    }

    /** Manual maintenance in force as of the last check, or {@code null}. Never reads the database. */
    public Maintenance maintenance() {
        return maintenance;
    }

    /** When the cached status was checked, in epoch milliseconds; 0 before the first check. */
    public long lastCheckMillis() {
        return firstChecked.getCount() != 0 ? 0
                : System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checkedAt);
    }

    /** Checks now, on the calling thread, and publishes the result: for administrators' actions. */
    public Status refreshNow() {
        long asOf = System.nanoTime();
        Status checked = check();
        publish(checked, asOf);
        return checked;
    }

    /** Claims the upgrade of this node: checks say UPGRADE_RUNNING until {@link #upgradeEnded}. */
    public boolean upgradeStarting() {
        return upgrading.compareAndSet(false, true);
    }

    /** @param failure what the upgrade's failure was, for the status until one succeeds; {@code null} if none */
    public void upgradeEnded(String failure) {
        lastFailure = failure;
        upgrading.set(false);
    }

    /** Gives up the claim of {@link #upgradeStarting} before any upgrade ran. */
    public void upgradeAbandoned() {
        upgrading.set(false);
    }

    public boolean upgrading() {
        return upgrading.get();
    }

    /**
     * Starts a check unless one runs; one that has overrun its bound is abandoned (the driver ignored its
     * timeouts, or a pool keeps the thread waiting): the state says so, and a new check starts.
     */
    private void checkInBackground() {
        long running = checkStarted.get();
        long now = System.nanoTime() | 1;
        if (running != 0 && now - running < overrunNanos || !checkStarted.compareAndSet(running, now)) {
            return;
        }
        try {
            executor.execute(() -> checkAndPublish(now, running != 0));
        } catch (RejectedExecutionException stopping) {
            checkStarted.compareAndSet(now, 0);
        }
    }

    private void checkAndPublish(long started, boolean abandonedOne) {
        if (abandonedOne) {
            // As of this check's start, so that its own result, which follows, is not taken for an older one.
            long timeoutMillis = database.timeoutMillis();
            publish(unavailable("the database did not answer within " + 2 * timeoutMillis / 1000
                    + " s (db.timeoutSeconds=" + timeoutMillis / 1000 + ")"), started);
        }
        Status checked = null;
        try {
            checked = check();
        } finally {
            // Only the check still in charge publishes: an abandoned one's result is older than what followed.
            if (checkStarted.compareAndSet(started, 0) && checked != null) {
                publish(checked, started);
            }
        }
    }

    private Status check() {
        beforeCheck.run();
        if (settings.problem() != null) {
            return misconfigured(settings.problem());
        }
        if (bundle.problem() != null) {
            return misconfigured(bundle.problem());
        }
        if (upgrading.get()) {
            return running("upgrade running on this node");
        }
        try {
            return database.withConnection(this::check);
        } catch (SettingException e) {
            return misconfigured(webapp + ": " + e.getMessage());
        } catch (SQLException e) {
            // Only the version query's own refusal: a syntax-class error elsewhere (MySQL's unknown database is
            // 42000) says nothing about the setting.
            if (e instanceof SchemaVersionReader.RejectedQuery) {
                return misconfigured(webapp + ": " + e.getMessage());
            }
            return unavailable("cannot read the schema's state: " + e.getMessage());
        } catch (MigrationException e) {
            if (e.getCause() != null && Sql.causedBySql(e.getCause())) {
                return unavailable("cannot read the schema's state: " + e.databaseMessage());
            }
            return misconfigured(webapp + ": " + e.getMessage());
        } catch (Exception e) {
            return unavailable("cannot read the schema's state: " + e);
        }
    }

    private Status check(Connection connection) throws SQLException, MigrationException {
        if (!connection.getAutoCommit()) {
            // Someone left this pooled connection inside a transaction: its snapshot would be stale.
            connection.setAutoCommit(true);
        }
        StateProbe.Result probed = probe.read(connection, webapp);
        LockInfo lock = probed.lock();
        if (lock.held()) {
            String stale = lock.stale(lockStaleSeconds) ? " (stale: no heartbeat for over " + lockStaleSeconds
                    + " s; an administrator may release it)" : "";
            return running("upgrade lock " + lock + stale);
        }
        String failure = lastFailure != null ? lastFailure : lock.interrupted() ? "the upgrade started by "
                + lock.owner() + " at " + lock.started()
                + " was interrupted before it finished (its process or connection died)" : null;
        Status verdict = judge(connection, failure, probed.fingerprint());
        if (verdict.state() == State.UP) {
            lastFailure = null;
        }
        return maintained(verdict, MaintenanceTable.from(probed.row()));
    }

    /** The verdict on a connection of the caller's, as of now: another node may have upgraded since the last check. */
    public Status judge(Connection connection) throws SQLException, MigrationException {
        return judge(connection, null, bundle.engine().history().fingerprint(connection));
    }

    /**
     * The verdict of the migrations, or of {@code version.query} where one is set.
     *
     * @param fingerprint the history's, as the probe read it; {@code null} when there is no history table
     */
    private Status judge(Connection connection, String failure, HistoryTable.Fingerprint fingerprint)
            throws SQLException, MigrationException {
        SchemaState schema = bundle.engine().inspect(connection, fingerprint);
        return legacyVersion == null ? SchemaVerdict.byMigrations(bundle.label(), schema, failure)
                : SchemaVerdict.byVersion(bundle.label(), legacyVersion.read(connection), schema.pending(), failure);
    }

    private Status running(String reason) {
        Status current = status;
        return new Status(State.UPGRADE_RUNNING, bundle.version(), current == null ? null : current.schemaVersion(),
                current == null ? null : current.pending(), null, List.of(), reason);
    }

    private Status unavailable(String reason) {
        Status current = status;
        return new Status(State.DB_UNAVAILABLE, bundle.version(), current == null ? null : current.schemaVersion(),
                current == null ? null : current.pending(), lastFailure, List.of(), reason);
    }

    /** Manual maintenance stands in for UP only: a version mismatch says more, and needs the install endpoint. */
    private Status maintained(Status compared, Maintenance manual) {
        maintenance = manual != null && manual.activeAt(System.currentTimeMillis()) ? manual : null;
        if (compared.state() != State.UP || maintenance == null) {
            return compared;
        }
        return new Status(State.MAINTENANCE, compared.bundleVersion(), compared.schemaVersion(), List.of(), null,
                List.of(), "maintenance turned on by " + maintenance.setBy() + (maintenance.untilMillis() == 0 ? ""
                        : " until " + Instant.ofEpochMilli(maintenance.untilMillis())));
    }

    private Status misconfigured(String problem) {
        return new Status(State.MISCONFIGURED, bundle.version(), null, null, null, List.of(), problem);
    }

    /**
     * @param asOf when the check that found {@code next} began: a slower check that began earlier (a background
     *             refresh overtaken by an administrator's action) must not overwrite what a later one found
     */
    public synchronized void publish(Status next, long asOf) {
        if (asOf - publishedAsOf < 0) {
            return;
        }
        publishedAsOf = asOf;
        Status previous = status;
        status = next;
        checkedAt = System.nanoTime();
        firstChecked.countDown();
        if (previous.state() != next.state()) {
            Level level = next.state() == State.MISCONFIGURED || next.state() == State.DB_UNAVAILABLE
                    || next.state() == State.UPGRADE_FAILED ? Level.WARNING : Level.INFO;
            LOG.log(level, () -> webapp + ": " + (previous.state() == State.STARTING ? "START"
                    : previous.state().name()) + " -> " + next.state() + " (" + next.reason() + ")");
        }
    }
}
