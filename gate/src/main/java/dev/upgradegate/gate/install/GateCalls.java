package dev.upgradegate.gate.install;

import java.sql.SQLException;
import java.util.List;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.db.WebappDatabase;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.maintenance.MaintenanceOrder;
import dev.upgradegate.gate.security.GuessLimiter;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.upgrade.UpgradeRunner;
import dev.upgradegate.gate.webapp.Webapp;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.MigrationEngine;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.UpgradeLock;

/** The wizard's calls on the real pieces of its webapp's gate, and the backups of its webapp. */
final class GateCalls implements WizardGate {

    private final WebappParts gate;
    private final Backups backups;

    GateCalls(WebappParts gate) {
        this.gate = gate;
        this.backups = new Backups(gate);
    }

    @Override
    public Webapp webapp() {
        return gate.webapp();
    }

    @Override
    public String installPath() {
        return gate.installPath();
    }

    @Override
    public AppSettings settings() {
        return gate.settings();
    }

    @Override
    public GateSettings hostSettings() {
        return gate.hostSettings();
    }

    @Override
    public Status status() {
        return gate.monitor().status();
    }

    @Override
    public String bundleVersion() {
        return gate.bundle().version();
    }

    @Override
    public String bundleVersionSource() {
        return gate.bundle().versionSource();
    }

    @Override
    public MigrationEngine engine() {
        return gate.bundle().engine();
    }

    @Override
    public <T> T withConnection(WebappDatabase.ConnectionWork<T> work) throws Exception {
        return gate.database().withConnection(work);
    }

    @Override
    public String client(Exchange exchange) {
        return gate.bearer().client(exchange);
    }

    @Override
    public GuessLimiter guesses() {
        return gate.bearer().guesses();
    }

    @Override
    public boolean tokenMatches(String presented) {
        return gate.bearer().matches(presented);
    }

    @Override
    public UpgradeProgress progress() {
        return gate.upgrades().progress();
    }

    @Override
    public List<UpgradeProgress> history() {
        return gate.upgrades().history();
    }

    @Override
    public void closeResult() {
        gate.upgrades().closeResult();
    }

    @Override
    public UpgradeRunner.Start startUpgrade(String client, boolean wizard) {
        return gate.upgrades().start(client, wizard);
    }

    @Override
    public UpgradeLock.Release releaseStaleLock(String client) throws SQLException {
        return gate.upgrades().releaseStaleLock(client);
    }

    @Override
    public HistoryRepair.Result repair(String client, String confirmed) throws SQLException, MigrationException {
        return gate.upgrades().repair(client, confirmed);
    }

    @Override
    public Maintenance maintenance() {
        return gate.monitor().maintenance();
    }

    @Override
    public Status maintenanceOn(MaintenanceOrder order, String by) throws SQLException {
        return gate.maintenance().on(order, by);
    }

    @Override
    public Status maintenanceOff(String by) throws SQLException {
        return gate.maintenance().off(by);
    }

    @Override
    public List<Preflight.Check> preflight() {
        return Preflight.run(gate);
    }

    @Override
    public Backups.Job startBackup() {
        return backups.start();
    }

    @Override
    public Backup latestBackup() {
        return backups.latest();
    }

    @Override
    public boolean postgres() {
        return backups.postgres();
    }

    @Override
    public String backupUnavailable() {
        return backups.unavailable();
    }
}
