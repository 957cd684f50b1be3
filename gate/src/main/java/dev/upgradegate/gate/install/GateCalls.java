package dev.upgradegate.gate.install;

import java.sql.SQLException;
import java.util.List;

import dev.upgradegate.gate.Status;
import dev.upgradegate.gate.UpgradeProgress;
import dev.upgradegate.gate.Webapp;
import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.maintenance.Maintenance;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.MigrationEngine;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.UpgradeLock;

/** The wizard's calls on a real {@link WebappGate}, one to one, and the backups of its webapp. */
final class GateCalls implements WizardGate {

    private final WebappGate gate;
    private final Backups backups;

    GateCalls(WebappGate gate) {
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
        return gate.status();
    }

    @Override
    public String bundleVersion() {
        return gate.bundleVersion();
    }

    @Override
    public String bundleVersionSource() {
        return gate.bundleVersionSource();
    }

    @Override
    public MigrationEngine engine() {
        return gate.engine();
    }

    @Override
    public <T> T withConnection(WebappGate.ConnectionWork<T> work) throws Exception {
        return gate.withConnection(work);
    }

    @Override
    public String client(Exchange exchange) {
        return gate.client(exchange);
    }

    @Override
    public GuessLimiter guesses() {
        return gate.guesses();
    }

    @Override
    public boolean tokenMatches(String presented) {
        return gate.tokenMatches(presented);
    }

    @Override
    public UpgradeProgress progress() {
        return gate.progress();
    }

    @Override
    public List<UpgradeProgress> history() {
        return gate.history();
    }

    @Override
    public void closeResult() {
        gate.closeResult();
    }

    @Override
    public WebappGate.Start startUpgrade(String client, boolean wizard) {
        return gate.startUpgrade(client, wizard);
    }

    @Override
    public UpgradeLock.Release releaseStaleLock(String client) throws SQLException {
        return gate.releaseStaleLock(client);
    }

    @Override
    public HistoryRepair.Result repair(String client, String confirmed) throws SQLException, MigrationException {
        return gate.repair(client, confirmed);
    }

    @Override
    public Maintenance maintenance() {
        return gate.maintenance();
    }

    @Override
    public Status maintenanceOn(String message, long untilMillis, String secret, String by) throws SQLException {
        return gate.maintenanceOn(message, untilMillis, secret, by);
    }

    @Override
    public Status maintenanceOff(String by) throws SQLException {
        return gate.maintenanceOff(by);
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
}
