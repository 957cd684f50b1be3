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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.config.Setting;
import dev.upgradegate.gate.db.ConnectionSource;
import dev.upgradegate.gate.db.DriverConnectionSource;
import dev.upgradegate.gate.db.JndiConnectionSource;
import dev.upgradegate.gate.db.SettingException;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.install.InstallEndpoint;
import dev.upgradegate.gate.install.InstallPath;
import dev.upgradegate.gate.install.InstallToken;
import dev.upgradegate.gate.maintenance.BypassCookie;
import dev.upgradegate.gate.maintenance.IgnoredPaths;
import dev.upgradegate.gate.maintenance.Maintenance;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.gate.maintenance.MaintenancePage;
import dev.upgradegate.gate.maintenance.MaintenanceTable;
import dev.upgradegate.gate.version.BundleVersion;
import dev.upgradegate.gate.version.Version;
import dev.upgradegate.migrations.LockInfo;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.Migrator;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.SchemaVersion;
import dev.upgradegate.migrations.SchemaVersionReader;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * The gate of one deployed webapp. {@link #passes} is the per-request decision: it reads a cached
 * status, never the database, and allocates nothing. The status is refreshed in the background by one
 * thread at a time once it is older than {@code refresh.seconds}; upgrades also run in the background.
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
    private final SchemaVersionReader reader;
    private final Migrator migrator;
    private final InstallToken token;
    private final InstallEndpoint install;
    private final Version bundleVersion;
    private final String bundleProblem;
    private final boolean gated;
    private final IgnoredPaths ignored;
    private final MaintenancePage page;
    private final MaintenanceEndpoint maintenanceEndpoint;

    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final AtomicBoolean planning = new AtomicBoolean();
    private final AtomicBoolean upgrading = new AtomicBoolean();
    private final Runnable refreshTask = this::refresh;
    private final Runnable planTask = this::plan;

    private volatile Status status;
    private volatile long checkedAt;
    private volatile UpgradeProgress progress;
    private volatile String lastFailure;
    private volatile String plannedFor;
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
        this.token = token;
        this.source = settings.problem() != null ? null
                : settings.datasource() != null ? new JndiConnectionSource(webapp, settings.datasource())
                : settings.jdbcUrl() != null
                ? new DriverConnectionSource(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword(),
                        webapp.classLoader())
                : null;
        this.reader = new SchemaVersionReader(settings.versionQuery());
        this.migrator = new Migrator(settings.changelog(), webapp.classLoader());
        this.install = new InstallEndpoint(this, host.maintenance());
        this.ignored = IgnoredPaths.parse(host.settings().valueFor(webapp.name(), Setting.IGNORE), installPath);
        String pageFile = host.settings().valueFor(webapp.name(), Setting.MAINTENANCE_PAGE);
        Path configFolder = host.settings().source().toAbsolutePath().getParent();
        this.page = new MaintenancePage(webapp.name(),
                pageFile == null ? null : configFolder == null ? Path.of(pageFile) : configFolder.resolve(pageFile),
                host.maintenance());
        this.maintenanceEndpoint = new MaintenanceEndpoint(this);
        Version version = null;
        String problem = null;
        if (settings.gated() && settings.problem() == null) {
            try (InputStream manifest = webapp.resource(BundleVersion.MANIFEST)) {
                version = BundleVersion.read(manifest, settings.versionAttribute());
            } catch (BundleVersion.BundleVersionException | IOException e) {
                problem = webapp.name() + ": " + e.getMessage();
            }
        }
        this.bundleVersion = version;
        this.bundleProblem = problem;
        this.gated = source != null || settings.problem() != null || bundleProblem != null;
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
        if (current == null) {
            current = firstCheck();
        } else if (System.nanoTime() - checkedAt >= refreshNanos) {
            refreshInBackground();
        }
        if (current.state() != State.UP) {
            return ignored.matches(requestPath, contextPathLength);
        }
        int install = InstallPath.below(requestPath, contextPathLength, installPath);
        if (install < 0) {
            return true;
        }
        // Under the install path of an UP webapp only these stay with the gate; the rest reaches the webapp.
        return !(InstallPath.isExactly(requestPath, install, InstallEndpoint.STATUS)
                || MaintenanceEndpoint.isMaintenance(requestPath, contextPathLength, installPath)
                || resultOpenUntil != 0 && resultPageOpen()
                        && InstallPath.isExactly(requestPath, install, InstallEndpoint.RESULT));
    }

    private boolean resultPageOpen() {
        long until = resultOpenUntil;
        if (until != 0 && System.nanoTime() - until > 0) {
            resultOpenUntil = 0;
        }
        return resultOpenUntil != 0;
    }

    /** Whether the wizard's success page may still be shown, once. */
    public boolean resultOpen() {
        return resultPageOpen();
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

    /** The latest status; checks now if there has never been one. */
    public Status status() {
        Status current = status;
        return current != null ? current : firstCheck();
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

    /** The bundle's version, or {@code null} when it could not be read. */
    public String bundleVersion() {
        return bundleVersion == null ? null : bundleVersion.toString();
    }

    public Migrator migrator() {
        return migrator;
    }

    /** Work on a connection of the webapp's database. */
    public interface ConnectionWork<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} on a new connection to the webapp's database, closed afterwards, with the same
     * class loader care as the state checks.
     */
    public <T> T withConnection(ConnectionWork<T> work) throws Exception {
        if (source == null) {
            throw new SQLException("no database configured for " + webapp.name());
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(WebappGate.class.getClassLoader());
        try (Connection connection = source.open()) {
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

    /** Whether {@code presented} opens this webapp's install endpoint. */
    public boolean tokenMatches(String presented) {
        return token != null && token.matches(presented);
    }

    /** The running or last upgrade on this node, or {@code null}. */
    public UpgradeProgress progress() {
        return progress;
    }

    private synchronized Status firstCheck() {
        if (status == null) {
            publish(check());
        }
        return status;
    }

    private void refreshInBackground() {
        if (refreshing.compareAndSet(false, true)) {
            try {
                host.executor().execute(refreshTask);
            } catch (RejectedExecutionException stopping) {
                refreshing.set(false);
            }
        }
    }

    private void refresh() {
        try {
            publish(check());
        } finally {
            refreshing.set(false);
        }
    }

    /** Checks now, on the calling thread, and publishes the result. */
    public Status refreshNow() {
        publish(check());
        return status;
    }

    private Status check() {
        page.reloadIfChanged();
        if (settings.problem() != null) {
            return misconfigured(settings.problem());
        }
        if (bundleProblem != null) {
            return misconfigured(bundleProblem);
        }
        String bundle = bundleVersion.toString();
        if (upgrading.get()) {
            return new Status(State.UPGRADE_RUNNING, bundle, previousSchema(), pending(), null, "upgrade running on this node");
        }
        SchemaVersion schema;
        Maintenance manual;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // The driver may start threads (Connector/J's cancellation timer) that inherit this loader; a
        // webapp's loader there would be pinned after undeploy.
        thread.setContextClassLoader(WebappGate.class.getClassLoader());
        LockInfo lock;
        try (Connection connection = source.open()) {
            if (!connection.getAutoCommit()) {
                // Someone left this pooled connection inside a transaction: its snapshot would be stale.
                connection.setAutoCommit(true);
            }
            lock = UpgradeLock.inspect(connection);
            if (lock.held()) {
                String stale = lock.stale(host.settings().lockStaleSeconds()) ? " (stale: no heartbeat for over "
                        + host.settings().lockStaleSeconds() + " s; an administrator may release it)" : "";
                return new Status(State.UPGRADE_RUNNING, bundle, previousSchema(), pending(), null,
                        "upgrade lock " + lock + stale);
            }
            schema = reader.read(connection);
            manual = MaintenanceTable.read(connection, webapp.name());
        } catch (SettingException e) {
            return misconfigured(webapp.name() + ": " + e.getMessage());
        } catch (SQLException e) {
            if (settings.versionQuery() != null && e.getSQLState() != null
                    && e.getSQLState().startsWith(SYNTAX_ERROR_CLASS)) {
                return misconfigured(webapp.name() + ": version.query fails: " + e.getMessage());
            }
            return new Status(State.DB_UNAVAILABLE, bundle, previousSchema(), pending(), lastFailure,
                    "cannot read the schema version: " + e.getMessage());
        } catch (RuntimeException e) {
            return new Status(State.DB_UNAVAILABLE, bundle, previousSchema(), pending(), lastFailure,
                    "cannot read the schema version: " + e);
        } finally {
            thread.setContextClassLoader(previous);
        }
        return maintained(compare(bundle, schema, lock.interrupted() ? "the upgrade started by " + lock.owner() + " at "
                + lock.started() + " was interrupted before it finished (its process or connection died)" : null), manual);
    }

    /** Manual maintenance stands in for UP only: a version mismatch says more, and needs the install endpoint. */
    private Status maintained(Status compared, Maintenance manual) {
        maintenance = manual != null && manual.activeAt(System.currentTimeMillis()) ? manual : null;
        if (compared.state() != State.UP || maintenance == null) {
            return compared;
        }
        return new Status(State.MAINTENANCE, compared.bundleVersion(), compared.schemaVersion(), List.of(), null,
                "maintenance turned on by " + maintenance.setBy() + (maintenance.untilMillis() == 0 ? ""
                        : " until " + Instant.ofEpochMilli(maintenance.untilMillis())));
    }

    /** @param interrupted why the last upgrade, as the database remembers it, did not finish; or {@code null} */
    private Status compare(String bundle, SchemaVersion schema, String interrupted) {
        String failure = lastFailure != null ? lastFailure : interrupted;
        if (schema.kind() == SchemaVersion.Kind.NOT_INSTALLED) {
            return new Status(State.NOT_INSTALLED, bundle, null, pending(), failure, "the database has no schema yet");
        }
        int order;
        if (schema.kind() == SchemaVersion.Kind.UNTAGGED) {
            order = 1;
        } else {
            try {
                order = bundleVersion.compareTo(Version.parse(schema.version()));
            } catch (IllegalArgumentException e) {
                return misconfigured(webapp.name() + ": the schema version '" + schema.version()
                        + "' is not a version (" + e.getMessage() + ")");
            }
        }
        String schemaText = schema.toString();
        if (order == 0) {
            lastFailure = null;
            return new Status(State.UP, bundle, schemaText, List.of(), null, "versions match");
        }
        if (order < 0) {
            return new Status(State.SCHEMA_NEWER, bundle, schemaText, List.of(), null,
                    "schema " + schemaText + " is newer than bundle " + bundle);
        }
        return new Status(failure == null ? State.UPGRADE_REQUIRED : State.UPGRADE_FAILED, bundle, schemaText,
                pending(), failure, "bundle " + bundle + " is newer than schema " + schemaText);
    }

    private Status misconfigured(String problem) {
        return new Status(State.MISCONFIGURED, bundleVersion == null ? null : bundleVersion.toString(), null,
                null, null, problem);
    }

    private String previousSchema() {
        Status current = status;
        return current == null ? null : current.schemaVersion();
    }

    private List<PendingChangeset> pending() {
        Status current = status;
        return current == null ? null : current.pending();
    }

    private void publish(Status next) {
        Status previous = status;
        status = next;
        checkedAt = System.nanoTime();
        if (previous == null || previous.state() != next.state()) {
            Level level = next.state() == State.MISCONFIGURED || next.state() == State.DB_UNAVAILABLE
                    || next.state() == State.UPGRADE_FAILED ? Level.WARNING : Level.INFO;
            LOG.log(level, () -> webapp.name() + ": " + (previous == null ? "START" : previous.state().name())
                    + " -> " + next.state() + " (" + next.reason() + ")");
        }
        if (next.state().upgradable() && !upgrading.get()
                && !String.valueOf(next.schemaVersion()).equals(plannedFor) && planning.compareAndSet(false, true)) {
            try {
                host.executor().execute(planTask);
            } catch (RejectedExecutionException stopping) {
                planning.set(false);
            }
        }
    }

    /** Works out the pending changesets with Liquibase, off the request threads. */
    private void plan() {
        try {
            Status planned = status;
            List<PendingChangeset> changesets;
            try (Connection connection = source.open()) {
                changesets = migrator.pending(connection);
            }
            plannedFor = String.valueOf(planned.schemaVersion());
            synchronized (this) {
                if (status == planned) {
                    status = planned.withPending(changesets);
                }
            }
        } catch (SQLException | MigrationException | RuntimeException e) {
            LOG.log(Level.WARNING, webapp.name() + ": cannot list the pending changesets of " + settings.changelog()
                    + ": " + e.getMessage());
        } finally {
            planning.set(false);
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
     * requests refresh it; checks now only if there has never been one.
     */
    public Status currentStatus() {
        Status current = status;
        if (current == null) {
            return firstCheck();
        }
        if (System.nanoTime() - checkedAt >= refreshNanos) {
            refreshInBackground();
        }
        return current;
    }

    /** When the cached status was checked, in epoch milliseconds; 0 before the first check. */
    public long lastCheckMillis() {
        return status == null ? 0
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
                lock = UpgradeLock.tryAcquire(connection);
                if (lock == null) {
                    connection.close();
                    upgrading.set(false);
                    refreshNow();
                    return Start.BUSY;
                }
                // Another node may have finished an upgrade since our last look.
                Status fresh = compare(bundleVersion.toString(), reader.read(connection), null);
                if (!fresh.state().upgradable()) {
                    lock.close();
                    upgrading.set(false);
                    publish(fresh);
                    return Start.REFUSED;
                }
            } catch (SQLException | RuntimeException e) {
                if (lock != null) {
                    lock.close();
                } else {
                    connection.close();
                }
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            upgrading.set(false);
            LOG.log(Level.WARNING, webapp.name() + ": cannot start the upgrade: " + e.getMessage());
            return Start.DB_UNAVAILABLE;
        }
        UpgradeProgress run = new UpgradeProgress(client, status().schemaVersion(), bundleVersion.toString(), wizard);
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
        publish(check());
        String from = status.schemaVersion() == null ? "an empty database" : "schema " + status.schemaVersion();
        LOG.info(() -> webapp.name() + ": upgrade from " + from + " to " + bundleVersion + " started by " + client);
        return Start.STARTED;
    }

    private void upgrade(UpgradeLock lock, UpgradeProgress run) {
        boolean succeeded = false;
        try (UpgradeLock held = lock; Connection connection = source.open()) {
            host.executor().execute(() -> beat(held, run));
            migrator.update(connection, run);
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
            publish(check());
        }
        if (succeeded) {
            LOG.info(() -> webapp.name() + ": upgraded to " + bundleVersion + " in "
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
            result = UpgradeLock.releaseStale(connection, host.settings().lockStaleSeconds());
        }
        LOG.info(() -> webapp.name() + ": release of the upgrade lock requested by " + client + ": " + result);
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
