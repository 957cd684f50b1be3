package dev.upgradegate.gate.jmx;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * {@link WebappGateMXBean} over a {@link WebappGate}. Attributes read the cached status, like requests
 * do. Operations answer with plain words: a JMX console shows them as they are, and they must never
 * carry SQL or a stack trace, so database failures become one sentence.
 */
public final class WebappGateBean implements WebappGateMXBean {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");
    static final String CLIENT = "JMX";

    private final WebappGate gate;

    public WebappGateBean(WebappGate gate) {
        this.gate = gate;
    }

    @Override
    public String getState() {
        return gate.currentStatus().state().name();
    }

    @Override
    public String getBundleVersion() {
        return gate.bundleVersion();
    }

    @Override
    public String getBundleVersionSource() {
        return gate.bundleVersionSource();
    }

    @Override
    public String getSchemaVersion() {
        return gate.currentStatus().schemaVersion();
    }

    @Override
    public String getMigrations() {
        return gate.engine() == null ? "" : gate.engine().name() + " " + gate.engine().location();
    }

    @Override
    public String[] getAhead() {
        return gate.currentStatus().ahead().toArray(new String[0]);
    }

    @Override
    public String getLastCheck() {
        long millis = gate.lastCheckMillis();
        return millis == 0 ? "" : Instant.ofEpochMilli(millis).toString();
    }

    @Override
    public String getLastUpgrade() {
        UpgradeProgress last = gate.progress();
        if (last == null) {
            return "";
        }
        String result = last.running() ? "RUNNING" : last.succeeded() ? "SUCCEEDED" : "FAILED";
        return result + " " + (last.fromVersion() == null ? "empty" : last.fromVersion()) + " -> " + last.toVersion()
                + " at " + Instant.ofEpochMilli(last.startedMillis()) + " by " + last.client();
    }

    @Override
    public String[] getPendingChangesets() {
        List<PendingChangeset> pending = gate.currentStatus().pending();
        if (pending == null) {
            return new String[0];
        }
        return pending.stream().map(c -> c.id() + " (" + c.author() + ") " + c.file()).toArray(String[]::new);
    }

    @Override
    public String getMaintenance() {
        Maintenance manual = gate.maintenance();
        if (manual == null) {
            return "";
        }
        return (manual.message() == null ? "(no message)" : manual.message())
                + (manual.untilMillis() == 0 ? ", until turned off" : ", until " + Instant.ofEpochMilli(manual.untilMillis()))
                + ", set by " + manual.setBy();
    }

    @Override
    public String refresh() {
        return gate.refreshNow().state().name();
    }

    @Override
    public String releaseStaleLock() {
        try {
            UpgradeLock.Release release = gate.releaseStaleLock("JMX");
            switch (release) {
                case RELEASED:
                    LOG.warning(() -> gate.webapp().name() + ": stale upgrade lock released through JMX");
                    return "released the stale upgrade lock";
                case REFUSED_LIVE_OWNER:
                    return "refused: the upgrade holding the lock is alive";
                default:
                    return "no upgrade lock is held";
            }
        } catch (Exception e) {
            return unavailable(e);
        }
    }

    @Override
    public String maintenanceOn(String message, int minutes) {
        long until = minutes > 0 ? System.currentTimeMillis() + minutes * 60_000L : 0;
        try {
            gate.maintenanceOn(message == null || message.isBlank() ? null : message.trim(), until, null, CLIENT);
        } catch (SQLException e) {
            return unavailable(e);
        }
        Maintenance manual = gate.maintenance();
        return manual == null ? gate.currentStatus().state().name()
                : MaintenanceEndpoint.bypassPath(gate.webapp().contextPath(), gate.installPath(), manual.secret());
    }

    @Override
    public String maintenanceOff() {
        try {
            return gate.maintenanceOff(CLIENT).state().name();
        } catch (SQLException e) {
            return unavailable(e);
        }
    }

    private String unavailable(Exception e) {
        LOG.warning(() -> gate.webapp().name() + ": JMX operation failed: " + e.getMessage());
        return "failed: the database cannot be reached (the server log has the details)";
    }
}
