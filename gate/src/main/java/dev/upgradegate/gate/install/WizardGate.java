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

/**
 * What the wizard asks of its webapp's gate. A seam of its own so
 * that each step's rules (no start without a backup, none from SCHEMA_NEWER, the result page once) can be
 * tested in any state without a database, and so that the gate's calls are re-pointed in one place,
 * {@link GateCalls}, when the gate's own pieces move (see {@link WebappParts}).
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

    <T> T withConnection(WebappDatabase.ConnectionWork<T> work) throws Exception;

    String client(Exchange exchange);

    GuessLimiter guesses();

    boolean tokenMatches(String presented);

    UpgradeProgress progress();

    List<UpgradeProgress> history();

    void closeResult();

    UpgradeRunner.Start startUpgrade(String client, boolean wizard);

    UpgradeLock.Release releaseStaleLock(String client) throws SQLException;

    HistoryRepair.Result repair(String client, String confirmed) throws SQLException, MigrationException;

    Maintenance maintenance();

    Status maintenanceOn(MaintenanceOrder order, String by) throws SQLException;

    Status maintenanceOff(String by) throws SQLException;

    List<Preflight.Check> preflight();

    /** Starts UpgradeGate's backup, or joins the one running. */
    Backups.Job startBackup();

    /** The newest backup made on this node, or {@code null}. */
    Backup latestBackup();

    /** Whether the webapp's database is PostgreSQL: its backup is pg_dump's, not UpgradeGate's own dump. */
    boolean postgres();

    /** Why UpgradeGate cannot make the backup on this server, as a sentence, or {@code null} when it can. */
    String backupUnavailable();
}
