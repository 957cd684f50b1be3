package dev.upgradegate.gate.install;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.db.WebappDatabase;
import dev.upgradegate.gate.maintenance.ManualMaintenance;
import dev.upgradegate.gate.security.BearerCheck;
import dev.upgradegate.gate.security.InstallAccess;
import dev.upgradegate.gate.status.StatusMonitor;
import dev.upgradegate.gate.upgrade.UpgradeRunner;
import dev.upgradegate.gate.webapp.Bundle;
import dev.upgradegate.gate.webapp.Webapp;

/** The pieces of one webapp's gate that its install endpoint and wizard work with; it holds, it does nothing. */
public final class WebappParts {

    private final Webapp webapp;
    private final AppSettings settings;
    private final GateSettings hostSettings;
    private final Bundle bundle;
    private final WebappDatabase database;
    private final StatusMonitor monitor;
    private final UpgradeRunner upgrades;
    private final ManualMaintenance maintenance;
    private final BearerCheck bearer;
    private final InstallAccess access;

    public WebappParts(Webapp webapp, AppSettings settings, GateSettings hostSettings, Bundle bundle,
                       WebappDatabase database, StatusMonitor monitor, UpgradeRunner upgrades,
                       ManualMaintenance maintenance, BearerCheck bearer, InstallAccess access) {
        this.webapp = webapp;
        this.settings = settings;
        this.hostSettings = hostSettings;
        this.bundle = bundle;
        this.database = database;
        this.monitor = monitor;
        this.upgrades = upgrades;
        this.maintenance = maintenance;
        this.bearer = bearer;
        this.access = access;
    }

    public Webapp webapp() {
        return webapp;
    }

    /** This webapp's settings. */
    public AppSettings settings() {
        return settings;
    }

    /** The host's settings. */
    public GateSettings hostSettings() {
        return hostSettings;
    }

    public String installPath() {
        return hostSettings.installPath();
    }

    public Bundle bundle() {
        return bundle;
    }

    public WebappDatabase database() {
        return database;
    }

    public StatusMonitor monitor() {
        return monitor;
    }

    public UpgradeRunner upgrades() {
        return upgrades;
    }

    public ManualMaintenance maintenance() {
        return maintenance;
    }

    public BearerCheck bearer() {
        return bearer;
    }

    public InstallAccess access() {
        return access;
    }
}
