package dev.upgradegate.gate.install;

import java.io.IOException;
import java.io.Writer;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.upgradegate.gate.webapp.FakeWebapp;
import dev.upgradegate.gate.status.Statuses;
import dev.upgradegate.gate.upgrade.UpgradeRuns;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.upgrade.UpgradeRunner;
import dev.upgradegate.gate.webapp.Webapp;
import dev.upgradegate.gate.db.WebappDatabase;
import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.maintenance.MaintenanceOrder;
import dev.upgradegate.gate.security.GuessLimiter;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.HistoryTable;
import dev.upgradegate.migrations.LeftLock;
import dev.upgradegate.migrations.MigrationEngine;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * A gate in whatever state a test sets, with a Liquibase-like engine that plans {@link #pending}, and a
 * "database" that answers only who it is: enough for the wizard's pages and rules, no server needed.
 */
final class FakeWizardGate implements WizardGate {

    static final String TOKEN = "a-long-enough-test-token";

    private final GateSettings host;
    private final Webapp webapp = new FakeWebapp("shop");
    private final GuessLimiter guesses = new GuessLimiter(5, 100);
    volatile Status status = Statuses.of(State.UPGRADE_REQUIRED, "2.0", "1.0");
    volatile UpgradeProgress progress;
    final List<UpgradeProgress> history = new ArrayList<>();
    final List<PendingChangeset> pending = new ArrayList<>(List.of(new PendingChangeset("add-orders", "ann",
            "db/changelog-2.0.xml")));
    volatile PendingChangeset failed;
    volatile boolean databaseUp = true;
    volatile Maintenance maintenance;
    final List<String> started = new ArrayList<>();
    volatile boolean resultClosed;
    volatile boolean postgres;
    volatile String backupUnavailable;

    FakeWizardGate(Map<String, String> settings) {
        this.host = GateSettings.of(Path.of("/etc/upgradegate.properties"), settings);
    }

    FakeWizardGate() {
        this(Map.of("install.token", TOKEN, "app.shop.jdbc.url", "jdbc:mariadb://db/shop"));
    }

    @Override
    public Webapp webapp() {
        return webapp;
    }

    @Override
    public String installPath() {
        return host.installPath();
    }

    @Override
    public AppSettings settings() {
        return host.forApp("shop");
    }

    @Override
    public GateSettings hostSettings() {
        return host;
    }

    @Override
    public Status status() {
        return status;
    }

    @Override
    public String bundleVersion() {
        return status.bundleVersion();
    }

    @Override
    public String bundleVersionSource() {
        return "the test";
    }

    @Override
    public MigrationEngine engine() {
        return new Engine();
    }

    @Override
    public <T> T withConnection(WebappDatabase.ConnectionWork<T> work) throws Exception {
        if (!databaseUp) {
            throw new SQLException("Connection refused");
        }
        return work.run(connection());
    }

    /** Knows its catalog and product; anything else fails as a lost connection would. */
    private static Connection connection() {
        DatabaseMetaData meta = (DatabaseMetaData) Proxy.newProxyInstance(FakeWizardGate.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getDatabaseProductName": return "MariaDB";
                        case "getDatabaseProductVersion": return "11.4.2";
                        default: throw new SQLException("not in the fake: " + method.getName());
                    }
                });
        return (Connection) Proxy.newProxyInstance(FakeWizardGate.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getCatalog": return "shop";
                        case "getMetaData": return meta;
                        default: throw new SQLException("not in the fake: " + method.getName());
                    }
                });
    }

    @Override
    public String client(Exchange exchange) {
        return exchange.remoteAddress();
    }

    @Override
    public GuessLimiter guesses() {
        return guesses;
    }

    @Override
    public boolean tokenMatches(String presented) {
        return TOKEN.equals(presented);
    }

    @Override
    public UpgradeProgress progress() {
        return progress;
    }

    @Override
    public List<UpgradeProgress> history() {
        return history;
    }

    @Override
    public void closeResult() {
        resultClosed = true;
    }

    @Override
    public UpgradeRunner.Start startUpgrade(String client, boolean wizard) {
        if (!status.state().upgradable()) {
            return status.state() == State.UPGRADE_RUNNING ? UpgradeRunner.Start.BUSY : UpgradeRunner.Start.REFUSED;
        }
        started.add(client);
        progress = UpgradeRuns.running(status.bundleVersion());
        status = Statuses.of(State.UPGRADE_RUNNING, status.bundleVersion(), status.schemaVersion());
        return UpgradeRunner.Start.STARTED;
    }

    @Override
    public UpgradeLock.Release releaseStaleLock(String client) {
        throw new UnsupportedOperationException();
    }

    @Override
    public HistoryRepair.Result repair(String client, String confirmed) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Maintenance maintenance() {
        return maintenance;
    }

    @Override
    public Status maintenanceOn(MaintenanceOrder order, String by) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Status maintenanceOff(String by) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Preflight.Check> preflight() {
        return List.of(new Preflight.Check("Database reachable", databaseUp, "connected to shop"),
                new Preflight.Check("May create and alter tables", false, "'shop'@'%' lacks <ALTER>"));
    }

    @Override
    public Backups.Job startBackup() {
        return new Backups.Job();
    }

    @Override
    public Backup latestBackup() {
        return null;
    }

    @Override
    public boolean postgres() {
        return postgres;
    }

    @Override
    public String backupUnavailable() {
        return backupUnavailable;
    }

    private final class Engine implements MigrationEngine {

        @Override
        public String name() {
            return LIQUIBASE;
        }

        @Override
        public String location() {
            return "db/changelog.xml";
        }

        @Override
        public SchemaState inspect(Connection connection) {
            return new SchemaState(failed != null ? SchemaState.Kind.FAILED : SchemaState.Kind.BEHIND, pending,
                    List.of(), null, "1 changeset applied", failed);
        }

        @Override
        public SchemaState inspect(Connection connection, HistoryTable.Fingerprint fingerprint) {
            return inspect(connection);
        }

        @Override
        public void preview(Connection connection, Writer out) throws MigrationException {
            try {
                out.write("CREATE TABLE orders (id INT); -- <b>not markup</b>\n");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public HistoryTable history() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void update(Connection connection, UpgradeListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LeftLock leftLock() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> repair(Connection connection) {
            throw new UnsupportedOperationException();
        }
    }
}
