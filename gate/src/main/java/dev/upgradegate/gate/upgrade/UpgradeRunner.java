package dev.upgradegate.gate.upgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.upgradegate.gate.db.NetworkTimeout;
import dev.upgradegate.gate.db.WebappDatabase;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.status.StatusMonitor;
import dev.upgradegate.gate.webapp.Bundle;
import dev.upgradegate.migrations.ClusterState;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.MigrationEngine;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * Upgrades of one webapp's database, in the background, under the upgrade lock: starts them, keeps the lock's
 * heartbeat, releases a stale lock, repairs a failed record, and remembers progress and the last upgrades.
 */
public final class UpgradeRunner {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    /** How long the wizard's result page stays reachable after a successful upgrade, unless viewed first. */
    private static final long RESULT_PAGE_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** Upgrades remembered for the health page. */
    private static final int HISTORY = 10;

    /** What became of a request to upgrade. */
    public enum Start { STARTED, BUSY, REFUSED, DB_UNAVAILABLE }

    private final String webapp;
    private final Bundle bundle;
    private final WebappDatabase database;
    private final StatusMonitor monitor;
    private final Executor executor;
    private final int lockStaleSeconds;
    private volatile UpgradeProgress progress;
    /** While non-zero, {@code {install}/result} stays with the gate after success; a nanoTime deadline. */
    private volatile long resultOpenUntil;
    private final Deque<UpgradeProgress> history = new ArrayDeque<>();

    public UpgradeRunner(String webapp, Bundle bundle, WebappDatabase database, StatusMonitor monitor,
                         Executor executor, int lockStaleSeconds) {
        this.webapp = webapp;
        this.bundle = bundle;
        this.database = database;
        this.monitor = monitor;
        this.executor = executor;
        this.lockStaleSeconds = lockStaleSeconds;
    }

    /**
     * Starts an upgrade in the background if the state allows one, the database node may run one (see
     * {@link ClusterState#refusal()}, which {@link StatusMonitor#cluster()} then tells) and no one else, on any
     * node, is upgrading this database. Only the lock is taken on the calling thread.
     *
     * @param wizard whether the wizard asks, which then shows the result page once the webapp is up
     */
    public Start start(String client, boolean wizard) {
        State state = monitor.status().state();
        if (!state.upgradable()) {
            return state == State.UPGRADE_RUNNING ? Start.BUSY : Start.REFUSED;
        }
        if (!monitor.upgradeStarting()) {
            return Start.BUSY;
        }
        MigrationEngine engine = bundle.engine();
        UpgradeLock lock = null;
        try {
            Connection connection = database.open();
            try {
                ClusterState cluster = ClusterState.read(connection);
                monitor.clusterSeen(cluster);
                String refusal = cluster.refusal();
                if (refusal != null) {
                    connection.close();
                    monitor.upgradeAbandoned();
                    // A check that ran while this start held the claim published UPGRADE_RUNNING: correct it now.
                    monitor.refreshNow();
                    LOG.warning(() -> webapp + ": upgrade requested by " + client + " not started: " + refusal);
                    return Start.REFUSED;
                }
                lock = UpgradeLock.tryAcquire(connection, UpgradeLock.thisProcess(), engine.leftLock(), lockStaleSeconds);
                if (lock == null) {
                    connection.close();
                    monitor.upgradeAbandoned();
                    monitor.refreshNow();
                    return Start.BUSY;
                }
                Status fresh = monitor.judge(connection);
                if (!fresh.state().upgradable()) {
                    lock.close();
                    monitor.upgradeAbandoned();
                    monitor.publish(fresh, System.nanoTime());
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
            monitor.upgradeAbandoned();
            LOG.log(Level.WARNING, webapp + ": cannot start the upgrade: " + e.getMessage());
            return Start.DB_UNAVAILABLE;
        }
        UpgradeProgress run = new UpgradeProgress(client, monitor.status().schemaVersion(), bundle.version(), wizard);
        progress = run;
        synchronized (history) {
            history.addFirst(run);
            if (history.size() > HISTORY) {
                history.removeLast();
            }
        }
        UpgradeLock held = lock;
        try {
            executor.execute(() -> upgrade(held, run));
        } catch (RejectedExecutionException stopping) {
            closeQuietly(held);
            monitor.upgradeAbandoned();
            return Start.DB_UNAVAILABLE;
        }
        String schema = monitor.refreshNow().schemaVersion();
        String from = schema == null ? "an empty database" : "schema " + schema;
        LOG.info(() -> webapp + ": upgrade from " + from + " to " + bundle.version() + " started by " + client);
        return Start.STARTED;
    }

    private void upgrade(UpgradeLock lock, UpgradeProgress run) {
        boolean succeeded = false;
        String failure = null;
        try (UpgradeLock held = lock; Connection connection = database.open();
             NetworkTimeout unbounded = NetworkTimeout.set(connection, 0)) {
            executor.execute(() -> beat(held, run));
            bundle.engine().update(connection, new LeaseGuard(held, run));
            succeeded = true;
        } catch (MigrationException e) {
            failure = e.getMessage();
            run.failed(e.changeset(), e.databaseMessage());
            LOG.warning(() -> webapp + ": upgrade failed: " + e.getMessage());
        } catch (SQLException | RuntimeException e) {
            failure = "the upgrade stopped: " + e.getMessage();
            run.failed(null, String.valueOf(e.getMessage()));
            LOG.log(Level.WARNING, webapp + ": upgrade stopped", e);
        } finally {
            if (succeeded && run.wizard()) {
                resultOpenUntil = System.nanoTime() + RESULT_PAGE_NANOS;
            }
            run.finished(succeeded);
            monitor.upgradeEnded(failure);
            monitor.refreshNow();
        }
        if (succeeded) {
            LOG.info(() -> webapp + ": upgraded to " + bundle.version() + " in "
                    + (run.finishedMillis() - run.startedMillis()) + " ms (" + run.total() + " changesets)");
        }
    }

    /** Renews the lease while the upgrade runs, so other nodes can tell a slow upgrade from a hung one. */
    private void beat(UpgradeLock lock, UpgradeProgress run) {
        long interval = TimeUnit.SECONDS.toMillis(Math.max(1, lockStaleSeconds / 4));
        try {
            while (run.finishedMillis() == 0) {
                Thread.sleep(interval);
                lock.heartbeat();
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } catch (SQLException e) {
            // Another node may now judge this upgrade interrupted and take it over: worth an administrator's look.
            LOG.warning(() -> webapp + ": the upgrade lease's heartbeat stopped: " + e.getMessage());
        }
    }

    /**
     * Releases this database's upgrade lock if it is stale: left by an interrupted upgrade, or held by a
     * node that stopped renewing it. A live owner's lock is never taken.
     */
    public UpgradeLock.Release releaseStaleLock(String client) throws SQLException {
        UpgradeLock.Release result;
        try (Connection connection = database.open()) {
            result = UpgradeLock.releaseStale(connection, lockStaleSeconds, bundle.engine().leftLock());
        }
        LOG.info(() -> webapp + ": release of the upgrade lock requested by " + client + ": " + result);
        monitor.refreshNow();
        return result;
    }

    /**
     * Removes the record of a failed migration once the administrator named it: see {@link HistoryRepair}.
     *
     * @param confirmed the failed script, as the administrator confirmed it; anything else repairs nothing
     */
    public HistoryRepair.Result repair(String client, String confirmed) throws SQLException, MigrationException {
        if (monitor.upgrading()) {
            return HistoryRepair.Result.BUSY;
        }
        HistoryRepair.Result result;
        try (Connection connection = database.open()) {
            result = HistoryRepair.repair(database.open(), connection, bundle.engine(), confirmed, lockStaleSeconds);
        }
        if (result == HistoryRepair.Result.REPAIRED) {
            LOG.warning(() -> webapp + ": repair requested by " + client + " removed the failed record of "
                    + confirmed + " from " + bundle.engine().name() + "'s history");
        }
        monitor.refreshNow();
        return result;
    }

    /** The running or last upgrade on this node, or {@code null}. */
    public UpgradeProgress progress() {
        return progress;
    }

    /** The last upgrades on this node, newest first. */
    public List<UpgradeProgress> history() {
        synchronized (history) {
            return new ArrayList<>(history);
        }
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

    private static void closeQuietly(UpgradeLock lock) {
        try {
            lock.close();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "releasing the upgrade lock", e);
        }
    }
}
