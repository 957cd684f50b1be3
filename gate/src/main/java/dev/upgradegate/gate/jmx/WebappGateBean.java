package dev.upgradegate.gate.jmx;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.install.WebappParts;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.gate.maintenance.MaintenanceOrder;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * {@link WebappGateMXBean} over the pieces of a webapp's gate. Attributes read the cached status, like requests
 * do. Operations answer with plain words: a JMX console shows them as they are, and they must never
 * carry SQL or a stack trace, so database failures become one sentence.
 */
public final class WebappGateBean implements WebappGateMXBean {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");
    static final String CLIENT = "JMX";

    private final WebappParts gate;

    public WebappGateBean(WebappParts gate) {
        this.gate = gate;
    }

    @Override
    public String getState() {
        return gate.monitor().currentStatus().state().name();
    }

    @Override
    public String getBundleVersion() {
        return gate.bundle().version();
    }

    @Override
    public String getBundleVersionSource() {
        return gate.bundle().versionSource();
    }

    @Override
    public String getSchemaVersion() {
        return gate.monitor().currentStatus().schemaVersion();
    }

    @Override
    public String getMigrations() {
        return gate.bundle().engine() == null ? "" : gate.bundle().engine().name() + " " + gate.bundle().engine().location();
    }

    @Override
    public String[] getAhead() {
        return gate.monitor().currentStatus().ahead().toArray(new String[0]);
    }

    @Override
    public String getLastCheck() {
        long millis = gate.monitor().lastCheckMillis();
        return millis == 0 ? "" : Instant.ofEpochMilli(millis).toString();
    }

    @Override
    public String getLastUpgrade() {
        UpgradeProgress last = gate.upgrades().progress();
        if (last == null) {
            return "";
        }
        String result = last.running() ? "RUNNING" : last.succeeded() ? "SUCCEEDED" : "FAILED";
        return result + " " + (last.fromVersion() == null ? "empty" : last.fromVersion()) + " -> " + last.toVersion()
                + " at " + Instant.ofEpochMilli(last.startedMillis()) + " by " + last.client();
    }

    @Override
    public String[] getPendingChangesets() {
        List<PendingChangeset> pending = gate.monitor().currentStatus().pending();
        if (pending == null) {
            return new String[0];
        }
        return pending.stream().map(c -> c.id() + " (" + c.author() + ") " + c.file()).toArray(String[]::new);
    }

    @Override
    public String getMaintenance() {
        Maintenance manual = gate.monitor().maintenance();
        if (manual == null) {
            return "";
        }
        return (manual.message() == null ? "(no message)" : manual.message())
                + (manual.untilMillis() == 0 ? ", until turned off" : ", until " + Instant.ofEpochMilli(manual.untilMillis()))
                + ", set by " + manual.setBy();
    }

    @Override
    public String refresh() {
        return gate.monitor().refreshNow().state().name();
    }

    @Override
    public String releaseStaleLock() {
        try {
            UpgradeLock.Release release = gate.upgrades().releaseStaleLock("JMX");
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
        MaintenanceOrder order;
        try {
            order = MaintenanceOrder.of(message, null, minutes > 0 ? Integer.toString(minutes) : null, null,
                    System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            return "refused: " + e.getMessage();
        }
        try {
            gate.maintenance().on(order, CLIENT);
        } catch (SQLException e) {
            return unavailable(e);
        }
        Maintenance manual = gate.monitor().maintenance();
        return manual == null ? gate.monitor().currentStatus().state().name()
                : MaintenanceEndpoint.bypassPath(gate.webapp().contextPath(), gate.installPath(), manual.secret());
    }

    @Override
    public String maintenanceOff() {
        try {
            return gate.maintenance().off(CLIENT).state().name();
        } catch (SQLException e) {
            return unavailable(e);
        }
    }

    private String unavailable(Exception e) {
        LOG.warning(() -> gate.webapp().name() + ": JMX operation failed: " + e.getMessage());
        return "failed: the database cannot be reached (the server log has the details)";
    }
}
