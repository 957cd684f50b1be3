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

/**
 * What the wizard asks of its webapp's gate, named as {@link WebappGate} names it. A seam of its own so
 * that each step's rules (no start without a backup, none from SCHEMA_NEWER, the result page once) can be
 * tested in any state without a database, and so that the gate's calls are re-pointed in one place,
 * {@link GateCalls}, when the gate's own pieces move.
 */
interface WizardGate {

    Webapp webapp();

    String installPath();

    AppSettings settings();

    GateSettings hostSettings();

    Status status();

    String bundleVersion();

    String bundleVersionSource();

    /** {@code null} when the settings are wrong or the bundle carries no migrations. */
    MigrationEngine engine();

    <T> T withConnection(WebappGate.ConnectionWork<T> work) throws Exception;

    String client(Exchange exchange);

    GuessLimiter guesses();

    boolean tokenMatches(String presented);

    UpgradeProgress progress();

    List<UpgradeProgress> history();

    void closeResult();

    WebappGate.Start startUpgrade(String client, boolean wizard);

    UpgradeLock.Release releaseStaleLock(String client) throws SQLException;

    HistoryRepair.Result repair(String client, String confirmed) throws SQLException, MigrationException;

    Maintenance maintenance();

    Status maintenanceOn(String message, long untilMillis, String secret, String by) throws SQLException;

    Status maintenanceOff(String by) throws SQLException;

    List<Preflight.Check> preflight();

    /** Starts UpgradeGate's backup, or joins the one running. */
    Backups.Job startBackup();

    /** The newest backup made on this node, or {@code null}. */
    Backup latestBackup();
}
