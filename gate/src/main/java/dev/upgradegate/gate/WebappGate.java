package dev.upgradegate.gate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.config.Setting;
import dev.upgradegate.gate.db.ConnectionSource;
import dev.upgradegate.gate.db.DriverConnectionSource;
import dev.upgradegate.gate.db.JndiConnectionSource;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.db.MaintenanceTable;
import dev.upgradegate.gate.db.NetworkTimeout;
import dev.upgradegate.gate.db.SettingException;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.PathMatch;
import dev.upgradegate.gate.install.InstallEndpoint;
import dev.upgradegate.gate.maintenance.BypassCookie;
import dev.upgradegate.gate.maintenance.IgnoredPaths;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.gate.maintenance.MaintenancePage;
import dev.upgradegate.gate.security.GuessLimiter;
import dev.upgradegate.gate.security.InstallToken;
import dev.upgradegate.gate.status.SchemaVerdict;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.version.BundleLabel;
import dev.upgradegate.gate.webapp.BundleMigrations;
import dev.upgradegate.gate.webapp.Webapp;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.HistoryTable;
import dev.upgradegate.migrations.LockInfo;
import dev.upgradegate.migrations.MigrationEngine;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.SchemaVersionReader;
import dev.upgradegate.migrations.Sql;
import dev.upgradegate.migrations.StateProbe;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * The gate of one deployed webapp. {@link #answered} is the request protocol every adapter follows; its
 * per-request decision reads a cached status, never the database, and allocates nothing. The status is
 * checked first when the gate opens and then refreshed, in the background, by one thread at a time once it is
 * older than {@code refresh.seconds}; every check is bounded by {@code db.timeoutSeconds}. Upgrades also run in
 * the background.
 */
public final class WebappGate {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    /** SQLSTATE class of syntax and access errors: a bad version.query, not an unreachable database. */
    private static final String SYNTAX_ERROR_CLASS = "42";

    /** How long the wizard's result page stays reachable after a successful upgrade, unless viewed first. */
    private static final long RESULT_PAGE_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** Upgrades remembered for the health page. */
    private static final int HISTORY = 10;

    private final Webapp webapp;
    private final AppSettings settings;
    private final Gatekeeper host;
    private final String installPath;
    private final long refreshNanos;
    private final ConnectionSource source;
    private final SchemaVersionReader legacyVersion;
    private final MigrationEngine engine;
    private final StateProbe probe;
    private final InstallToken token;
    private final InstallEndpoint install;
    private final BundleLabel bundle;
    private final String bundleProblem;
    private final boolean gated;
    private final IgnoredPaths ignored;
    private final MaintenancePage page;
    private final MaintenanceEndpoint maintenanceEndpoint;

    /** When the running check started (a nanoTime, never 0), or 0 when none runs. */
    private final AtomicLong checkStarted = new AtomicLong();
    private final AtomicBoolean upgrading = new AtomicBoolean();
    private final long timeoutMillis;
    /** A check running longer than this is abandoned: its result, if it ever comes, is dropped. */
    private final long overrunNanos;
    private final CountDownLatch firstChecked = new CountDownLatch(1);
    private volatile boolean faultLogged;

    private volatile Status status;
    private volatile long checkedAt;
    /** The start of the check whose result is published; see {@link #publish}. Guarded by this. */
    private long publishedAsOf;
    private volatile UpgradeProgress progress;
    private volatile String lastFailure;
    /** Manual maintenance in force as of the last check, or {@code null}. */
    private volatile Maintenance maintenance;
    /** While non-zero, {@code {install}/result} stays with the gate after success; a nanoTime deadline. */
    private volatile long resultOpenUntil;
    private final Deque<UpgradeProgress> history = new ArrayDeque<>();

    WebappGate(Webapp webapp, AppSettings settings, Gatekeeper host, InstallToken token) {
        this.webapp = webapp;
        this.settings = settings;
        this.host = host;
        this.installPath = host.settings().installPath();
        this.refreshNanos = TimeUnit.SECONDS.toNanos(host.settings().refreshSeconds());
        this.timeoutMillis = TimeUnit.SECONDS.toMillis(host.settings().dbTimeoutSeconds());
        this.overrunNanos = TimeUnit.MILLISECONDS.toNanos(2 * timeoutMillis);
        this.token = token;
        this.source = settings.problem() != null ? null
                : settings.datasource() != null ? new JndiConnectionSource(webapp, settings.datasource())
                : settings.jdbcUrl() != null
                ? new DriverConnectionSource(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword(),
                        webapp.classLoader(), timeoutMillis)
                : null;
        this.legacyVersion = settings.versionQuery() == null ? null : new SchemaVersionReader(settings.versionQuery());
        this.install = new InstallEndpoint(this, host.maintenance());
        this.ignored = IgnoredPaths.parse(host.settings().valueFor(webapp.name(), Setting.IGNORE), installPath);
        this.page = new MaintenancePage(webapp.name(), settings.maintenancePage(), host.maintenance());
        this.maintenanceEndpoint = new MaintenanceEndpoint(this);
        BundleLabel label = null;
        MigrationEngine found = null;
        String problem = null;
        if (settings.gated() && settings.problem() == null) {
            label = BundleLabel.of(webapp, settings.versionAttribute());
            try {
                found = BundleMigrations.open(settings, webapp.classLoader());
            } catch (IllegalStateException e) {
                problem = webapp.name() + ": " + e.getMessage();
            }
            if (problem == null && legacyVersion != null && label.version() == null) {
                problem = webapp.name() + ": version.query compares the schema's version with the bundle's, but the"
                        + " bundle's version is " + label.source();
            }
        }
        this.bundle = label;
        this.engine = found;
        this.probe = found == null ? null : new StateProbe(found.history(), MaintenanceTable.TABLE, MaintenanceTable.KEY,
                MaintenanceTable.COLUMNS);
        this.bundleProblem = problem;
        this.gated = source != null || settings.problem() != null || bundleProblem != null;
        this.checkedAt = System.nanoTime();
        this.publishedAsOf = checkedAt;
        this.status = new Status(State.STARTING, bundleVersion(), null, null, null, List.of(),
                "the first check of the database has not finished yet");
    }

    /** Starts the first check, in the background: a hung database must not hold whoever opens the gate. */
    void start() {
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

    /** Makes the gate's view of a container's request, only when the gate answers it. */
    public interface Exchanges<Q, R> {
        Exchange of(Q request, R response);
    }

    /**
     * The request protocol, the same for every adapter: whether the gate answered the request itself
     * ({@code true}) or it goes on to the webapp. Allocates nothing when the request passes. A fault of the
     * gate answers the maintenance page, as MISCONFIGURED: a gated webapp never fails open.
     *
     * @param requestPath the decoded request URI, context path included
     * @param contextPathLength the length of the context path at its start
     * @throws IOException when the gate's answer could not be written: the request is answered all the same
     */
    public <Q, R> boolean answered(CharSequence requestPath, int contextPathLength, Q request, R response,
                                   Exchanges<Q, R> exchanges) throws IOException {
        Exchange exchange = null;
        try {
            if (passes(requestPath, contextPathLength)) {
                return false;
            }
            exchange = exchanges.of(request, response);
            if (admits(exchange)) {
                return false;
            }
            handle(exchange);
        } catch (RuntimeException | LinkageError | AssertionError fault) {
            failClosed(fault, exchange != null ? exchange : exchanges.of(request, response));
        }
        return true;
    }

    /**
     * Answers a request of this webapp with the maintenance page, as MISCONFIGURED, after a fault: what
     * {@link #answered} does for faults inside it, for an adapter whose own work around it failed (the agent's
     * servlet path, where reading the request can throw). Logged once.
     */
    public void failClosed(Throwable fault, Exchange exchange) throws IOException {
        if (!faultLogged) {
            faultLogged = true;
            LOG.log(Level.SEVERE, webapp.name() + ": UpgradeGate failed on a request; its requests get the"
                    + " maintenance page (fail closed). Please report this", fault);
        }
        host.maintenance().write(exchange, State.MISCONFIGURED);
    }

    /** Whether this webapp has a database to guard at all. */
    public boolean gated() {
        return gated;
    }

    /**
     * The per-request decision: {@code true} lets the request through untouched; {@code false} means
     * {@link #handle} answers it. Called on every request, so it reads only cached state.
     *
     * @param requestPath the decoded request URI, context path included
     * @param contextPathLength the length of the context path at its start
     */
    public boolean passes(CharSequence requestPath, int contextPathLength) {
        if (!gated) {
            return true;
        }
        Status current = status;
        if (System.nanoTime() - checkedAt >= refreshNanos) {
            checkInBackground();
        }
        if (current.state() != State.UP) {
            return ignored.matches(requestPath, contextPathLength);
        }
        int install = PathMatch.below(requestPath, contextPathLength, installPath);
        if (install < 0) {
            return true;
        }
        // Under the install path of an UP webapp only these stay with the gate; the rest reaches the webapp.
        // The wizard's last pages stay too, so that a reloaded progress or result page never meets a raw 404.
        return !(PathMatch.isExactly(requestPath, install, InstallEndpoint.STATUS)
                || MaintenanceEndpoint.isMaintenance(requestPath, install)
                || PathMatch.isExactly(requestPath, install, InstallEndpoint.RESULT)
                || PathMatch.isExactly(requestPath, install, InstallEndpoint.PROGRESS)
                || PathMatch.isExactly(requestPath, install, InstallEndpoint.PROGRESS_JSON));
    }

    /** Whether the wizard's success page may still be shown, once. */
    public boolean resultOpen() {
        long until = resultOpenUntil;
        if (until != 0 && System.nanoTime() - until > 0) {
            resultOpenUntil = 0;
        }
        return resultOpenUntil != 0;
    }

    /** Closes the install endpoint for good once the administrator has seen the success page. */
    public void closeResult() {
        resultOpenUntil = 0;
    }

    /** Answers a request that {@link #passes} stopped: the install endpoint or the maintenance page. */
    public void handle(Exchange exchange) throws IOException {
        String path = exchange.path();
        if (path.equals(installPath) || path.startsWith(installPath) && path.charAt(installPath.length()) == '/') {
            String rest = path.substring(installPath.length());
            if (!MaintenanceEndpoint.owns(rest)) {
                install.handle(exchange, rest);
            } else if (!install.refuses(exchange)) {
                maintenanceEndpoint.handle(exchange, rest);
            }
        } else {
            page.write(exchange, status().state(), maintenance);
        }
    }

    /** The latest status: {@link State#STARTING} until the first check is done. Never reads the database. */
    public Status status() {
        return status;
    }

    public Webapp webapp() {
        return webapp;
    }

    public String installPath() {
        return installPath;
    }

    /** This webapp's settings. */
    public AppSettings settings() {
        return settings;
    }

    /** The host's settings. */
    public GateSettings hostSettings() {
        return host.settings();
    }

    /** The bundle's version, {@code unknown} when it says none, or {@code null} when the settings are wrong. */
    public String bundleVersion() {
        return bundle == null ? null : bundle.toString();
    }

    /** Where the bundle's version came from, or why it is unknown; {@code null} when the settings are wrong. */
    public String bundleVersionSource() {
        return bundle == null ? null : bundle.source();
    }

    /** The bundle's migrations, or {@code null} when the settings are wrong or the bundle carries none. */
    public MigrationEngine engine() {
        return engine;
    }

    /** Work on a connection of the webapp's database. */
    public interface ConnectionWork<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} on a new connection to the webapp's database, closed afterwards, with the same
     * class loader care and the same bound on each round trip ({@code db.timeoutSeconds}) as the state checks.
     */
    public <T> T withConnection(ConnectionWork<T> work) throws Exception {
        return onConnection(timeoutMillis, work);
    }

    /** {@link #withConnection}, for work that may rightly take long, such as a backup: no bound of ours. */
    public <T> T withLongConnection(ConnectionWork<T> work) throws Exception {
        return onConnection(0, work);
    }

    private <T> T onConnection(long timeoutMillis, ConnectionWork<T> work) throws Exception {
        if (source == null) {
            throw new SQLException("no database configured for " + webapp.name());
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(WebappGate.class.getClassLoader());
        try (Connection connection = source.open(); NetworkTimeout bounded = NetworkTimeout.set(connection, timeoutMillis)) {
            return work.run(connection);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The last upgrades on this node, newest first. */
    public List<UpgradeProgress> history() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
    }

    /** The host's one limiter of wrong secrets, shared by every webapp's endpoints. */
    public GuessLimiter guesses() {
        return host.guesses();
    }

    /** The address {@code exchange} comes from, as {@code install.allow} and the guess limits see it. */
    public String client(Exchange exchange) {
        return host.clients().of(exchange);
    }

    /** Whether {@code presented} opens this webapp's install endpoint. */
    public boolean tokenMatches(String presented) {
        return token != null && token.matches(presented);
    }

    /** The running or last upgrade on this node, or {@code null}. */
    public UpgradeProgress progress() {
        return progress;
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
            host.executor().execute(() -> checkAndPublish(now, running != 0));
        } catch (RejectedExecutionException stopping) {
            checkStarted.compareAndSet(now, 0);
        }
    }

    private void checkAndPublish(long started, boolean abandonedOne) {
        if (abandonedOne) {
            publish(unavailable("the database did not answer within " + 2 * timeoutMillis / 1000
                    + " s (db.timeoutSeconds=" + timeoutMillis / 1000 + ")"), System.nanoTime());
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

    /** Checks now, on the calling thread, and publishes the result: for administrators' actions. */
    public Status refreshNow() {
        long asOf = System.nanoTime();
        Status checked = check();
        publish(checked, asOf);
        return checked;
    }

    private Status check() {
        page.reloadIfChanged();
        if (settings.problem() != null) {
            return misconfigured(settings.problem());
        }
        if (bundleProblem != null) {
            return misconfigured(bundleProblem);
        }
        if (upgrading.get()) {
            return running("upgrade running on this node");
        }
        Maintenance manual;
        Status verdict;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // The driver may start threads (Connector/J's cancellation timer) that inherit this loader; a
        // webapp's loader there would be pinned after undeploy.
        thread.setContextClassLoader(WebappGate.class.getClassLoader());
        try (Connection connection = source.open();
             NetworkTimeout bounded = NetworkTimeout.set(connection, timeoutMillis)) {
            if (!connection.getAutoCommit()) {
                // Someone left this pooled connection inside a transaction: its snapshot would be stale.
                connection.setAutoCommit(true);
            }
            StateProbe.Result probed = probe.read(connection, webapp.name());
            LockInfo lock = probed.lock();
            if (lock.held()) {
                String stale = lock.stale(host.settings().lockStaleSeconds()) ? " (stale: no heartbeat for over "
                        + host.settings().lockStaleSeconds() + " s; an administrator may release it)" : "";
                return running("upgrade lock " + lock + stale);
            }
            String failure = lastFailure != null ? lastFailure : lock.interrupted() ? "the upgrade started by "
                    + lock.owner() + " at " + lock.started()
                    + " was interrupted before it finished (its process or connection died)" : null;
            verdict = judge(connection, failure, probed.fingerprint());
            manual = MaintenanceTable.from(probed.row());
        } catch (SettingException e) {
            return misconfigured(webapp.name() + ": " + e.getMessage());
        } catch (SQLException e) {
            if (legacyVersion != null && e.getSQLState() != null && e.getSQLState().startsWith(SYNTAX_ERROR_CLASS)) {
                return misconfigured(webapp.name() + ": version.query fails: " + e.getMessage());
            }
            return unavailable("cannot read the schema's state: " + e.getMessage());
        } catch (MigrationException e) {
            if (e.getCause() != null && Sql.causedBySql(e.getCause())) {
                return unavailable("cannot read the schema's state: " + e.databaseMessage());
            }
            return misconfigured(webapp.name() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            return unavailable("cannot read the schema's state: " + e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        if (verdict.state() == State.UP) {
            lastFailure = null;
        }
        return maintained(verdict, manual);
    }

    /**
     * The verdict of the migrations, or of {@code version.query} where one is set.
     *
     * @param fingerprint the history's, as the probe read it; {@code null} when there is no history table
     */
    private Status judge(Connection connection, String failure, HistoryTable.Fingerprint fingerprint)
            throws SQLException, MigrationException {
        SchemaState schema = engine.inspect(connection, fingerprint);
        return legacyVersion == null ? SchemaVerdict.byMigrations(bundle, schema, failure)
                : SchemaVerdict.byVersion(bundle, legacyVersion.read(connection), schema.pending(), failure);
    }

    private Status running(String reason) {
        Status current = status;
        return new Status(State.UPGRADE_RUNNING, bundleVersion(), current == null ? null : current.schemaVersion(),
                current == null ? null : current.pending(), null, List.of(), reason);
    }

    private Status unavailable(String reason) {
        Status current = status;
        return new Status(State.DB_UNAVAILABLE, bundleVersion(), current == null ? null : current.schemaVersion(),
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
        return new Status(State.MISCONFIGURED, bundleVersion(), null, null, null, List.of(), problem);
    }

    /**
     * @param asOf when the check that found {@code next} began: a slower check that began earlier (a background
     *             refresh overtaken by an administrator's action) must not overwrite what a later one found
     */
    private synchronized void publish(Status next, long asOf) {
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
            LOG.log(level, () -> webapp.name() + ": " + (previous.state() == State.STARTING ? "START"
                    : previous.state().name()) + " -> " + next.state() + " (" + next.reason() + ")");
        }
    }

    /** Manual maintenance in force as of the last check, or {@code null}. Never reads the database. */
    public Maintenance maintenance() {
        return maintenance;
    }

    /**
     * Turns manual maintenance on for this webapp on every node sharing its database, replacing any
     * earlier one (and its bypass secret); other nodes follow within {@code refresh.seconds}.
     *
     * @param untilMillis when it ends by itself, or 0 for never
     * @param secret the bypass secret, or {@code null} for a random one
     */
    public Status maintenanceOn(String message, long untilMillis, String secret, String by) throws SQLException {
        write(connection -> MaintenanceTable.turnOn(connection, webapp.name(), message, untilMillis, secret, by));
        LOG.info(() -> webapp.name() + ": maintenance turned on by " + by
                + (untilMillis == 0 ? " until turned off" : " until " + Instant.ofEpochMilli(untilMillis)));
        return refreshNow();
    }

    /** Turns manual maintenance off on every node sharing the database. */
    public Status maintenanceOff(String by) throws SQLException {
        boolean was = write(connection -> MaintenanceTable.clear(connection, webapp.name()));
        if (was) {
            LOG.info(() -> webapp.name() + ": maintenance turned off by " + by);
        }
        return refreshNow();
    }

    private <T> T write(ConnectionWork<T> work) throws SQLException {
        try {
            return withConnection(work);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /**
     * Whether a request {@link #passes} stopped may go through after all: its bearer holds a valid bypass
     * cookie while the webapp is in manual maintenance. Checked against the cached maintenance only.
     */
    public boolean admits(Exchange exchange) {
        Maintenance manual = maintenance;
        Status current = status;
        return manual != null && current != null && current.state() == State.MAINTENANCE
                && BypassCookie.valid(exchange.cookie(BypassCookie.NAME), webapp.name(), manual,
                        System.currentTimeMillis());
    }

    /**
     * The cached status for monitors (readiness, JMX), refreshed in the background when stale just as
     * requests refresh it.
     */
    public Status currentStatus() {
        Status current = status;
        if (System.nanoTime() - checkedAt >= refreshNanos) {
            checkInBackground();
        }
        return current;
    }

    /** When the cached status was checked, in epoch milliseconds; 0 before the first check. */
    public long lastCheckMillis() {
        return firstChecked.getCount() != 0 ? 0
                : System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checkedAt);
    }

    /** What became of a request to upgrade. */
    public enum Start { STARTED, BUSY, REFUSED, DB_UNAVAILABLE }

    /**
     * Starts an upgrade in the background if the state allows one and no one else, on any node, is
     * upgrading this database. Only the lock is taken on the calling thread.
     */
    public Start startUpgrade(String client) {
        return startUpgrade(client, false);
    }

    /**
     * @param wizard whether the wizard asks, which then shows the result page once the webapp is up
     */
    public Start startUpgrade(String client, boolean wizard) {
        if (!status().state().upgradable()) {
            return status().state() == State.UPGRADE_RUNNING ? Start.BUSY : Start.REFUSED;
        }
        if (!upgrading.compareAndSet(false, true)) {
            return Start.BUSY;
        }
        UpgradeLock lock = null;
        try {
            Connection connection = source.open();
            try {
                lock = UpgradeLock.tryAcquire(connection, UpgradeLock.thisProcess(), engine.leftLock());
                if (lock == null) {
                    connection.close();
                    upgrading.set(false);
                    refreshNow();
                    return Start.BUSY;
                }
                // Another node may have finished an upgrade since our last look.
                Status fresh = judge(connection, null, engine.history().fingerprint(connection));
                if (!fresh.state().upgradable()) {
                    lock.close();
                    upgrading.set(false);
                    publish(fresh, System.nanoTime());
                    return Start.REFUSED;
                }
            } catch (SQLException | MigrationException | RuntimeException e) {
                if (lock != null) {
                    lock.close();
                } else {
                    connection.close();
                }
                throw e;
            }
        } catch (SQLException | MigrationException | RuntimeException e) {
            upgrading.set(false);
            LOG.log(Level.WARNING, webapp.name() + ": cannot start the upgrade: " + e.getMessage());
            return Start.DB_UNAVAILABLE;
        }
        UpgradeProgress run = new UpgradeProgress(client, status().schemaVersion(), bundleVersion(), wizard);
        progress = run;
        synchronized (history) {
            history.addFirst(run);
            if (history.size() > HISTORY) {
                history.removeLast();
            }
        }
        UpgradeLock held = lock;
        try {
            host.executor().execute(() -> upgrade(held, run));
        } catch (RejectedExecutionException stopping) {
            closeQuietly(held);
            upgrading.set(false);
            return Start.DB_UNAVAILABLE;
        }
        refreshNow();
        String from = status.schemaVersion() == null ? "an empty database" : "schema " + status.schemaVersion();
        LOG.info(() -> webapp.name() + ": upgrade from " + from + " to " + bundleVersion() + " started by " + client);
        return Start.STARTED;
    }

    private void upgrade(UpgradeLock lock, UpgradeProgress run) {
        boolean succeeded = false;
        try (UpgradeLock held = lock; Connection connection = source.open();
             NetworkTimeout unbounded = NetworkTimeout.set(connection, 0)) {
            host.executor().execute(() -> beat(held, run));
            engine.update(connection, run);
            succeeded = true;
            lastFailure = null;
        } catch (MigrationException e) {
            lastFailure = e.getMessage();
            run.failed(e.changeset(), e.databaseMessage());
            LOG.warning(() -> webapp.name() + ": upgrade failed: " + e.getMessage());
        } catch (SQLException | RuntimeException e) {
            lastFailure = "the upgrade stopped: " + e.getMessage();
            run.failed(null, String.valueOf(e.getMessage()));
            LOG.log(Level.WARNING, webapp.name() + ": upgrade stopped", e);
        } finally {
            if (succeeded && run.wizard()) {
                resultOpenUntil = System.nanoTime() + RESULT_PAGE_NANOS;
            }
            run.finished(succeeded);
            upgrading.set(false);
            refreshNow();
        }
        if (succeeded) {
            LOG.info(() -> webapp.name() + ": upgraded to " + bundleVersion() + " in "
                    + (run.finishedMillis() - run.startedMillis()) + " ms (" + run.total() + " changesets)");
        }
    }

    /** Renews the lease while the upgrade runs, so other nodes can tell a slow upgrade from a hung one. */
    private void beat(UpgradeLock lock, UpgradeProgress run) {
        long interval = TimeUnit.SECONDS.toMillis(Math.max(1, host.settings().lockStaleSeconds() / 4));
        try {
            while (run.finishedMillis() == 0) {
                Thread.sleep(interval);
                lock.heartbeat();
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            LOG.log(Level.FINE, webapp.name() + ": heartbeat stopped", e);
        }
    }

    /**
     * Releases this database's upgrade lock if it is stale: left by an interrupted upgrade, or held by a
     * node that stopped renewing it. A live owner's lock is never taken.
     */
    public UpgradeLock.Release releaseStaleLock(String client) throws SQLException {
        UpgradeLock.Release result;
        try (Connection connection = source.open()) {
            result = UpgradeLock.releaseStale(connection, host.settings().lockStaleSeconds(), engine.leftLock());
        }
        LOG.info(() -> webapp.name() + ": release of the upgrade lock requested by " + client + ": " + result);
        refreshNow();
        return result;
    }

    /**
     * Removes the record of a failed migration once the administrator named it: see {@link HistoryRepair}.
     *
     * @param confirmed the failed script, as the administrator confirmed it; anything else repairs nothing
     */
    public HistoryRepair.Result repair(String client, String confirmed) throws SQLException, MigrationException {
        if (upgrading.get()) {
            return HistoryRepair.Result.BUSY;
        }
        HistoryRepair.Result result;
        try (Connection connection = source.open()) {
            result = HistoryRepair.repair(source.open(), connection, engine, confirmed);
        }
        if (result == HistoryRepair.Result.REPAIRED) {
            LOG.warning(() -> webapp.name() + ": repair requested by " + client + " removed the failed record of "
                    + confirmed + " from " + engine.name() + "'s history");
        }
        refreshNow();
        return result;
    }

    private static void closeQuietly(UpgradeLock lock) {
        try {
            lock.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "releasing the upgrade lock", e);
        }
    }

}
