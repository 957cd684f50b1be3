package dev.upgradegate.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.logging.LogManager;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.db.MaintenanceTable;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.install.InstallEndpoint;
import dev.upgradegate.gate.install.WebappParts;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.gate.maintenance.MaintenanceOrder;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.upgrade.UpgradeRunner;
import dev.upgradegate.gate.webapp.Webapp;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * {@code status}, {@code upgrade}, {@code release-lock}, {@code maintenance on|off} and {@code doctor} for deploy
 * pipelines and operators: the same gate as the valve and the agent, over a bundle outside any server, so the
 * states, the upgrade and its lock are the web endpoint's own.
 */
public final class Cli {

    static final int UP = 0;
    static final int FAILURE = 1;
    static final int UPGRADE_NEEDED = 2;
    static final int SCHEMA_NEWER = 3;

    private static final String MARIADB_LOG_FALLBACK = "mariadb.logging.fallback";

    private final CliOptions options;
    private final PrintStream out;

    private Cli(CliOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * @param invoked how the user started the CLI ({@code bin/upgradegate}), for the usage text
     * @return the exit code
     */
    public static int run(String invoked, String[] args, PrintStream out, PrintStream err) {
        boolean json = CliOptions.wantsJson(args);
        boolean debug = CliOptions.wantsDebug(args);
        // MariaDB's driver, without SLF4J beside it, prints its warnings (a refused password, say) straight to the
        // console; through java.util.logging they are silenced below, or shown with --debug. Read when it loads.
        if (System.getProperty(MARIADB_LOG_FALLBACK) == null) {
            System.setProperty(MARIADB_LOG_FALLBACK, "JDK");
        }
        if (!debug) {
            // The CLI's output is the report: the gate's, Liquibase's and the drivers' log lines would repeat it
            // on stderr, or break --json.
            LogManager.getLogManager().reset();
        }
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (json) {
                out.println(new Json().field("error", e.getMessage()));
            } else {
                err.println(e.getMessage());
                err.println(CliOptions.usage(invoked));
            }
            return FAILURE;
        }
        CliFailure failure;
        try {
            return new Cli(options, out).run();
        } catch (CliFailure e) {
            failure = e;
        } catch (Exception e) {
            if (debug) {
                e.printStackTrace(err);
            }
            failure = new CliFailure(e.getMessage() == null ? e.toString() : e.getMessage());
        }
        if (json) {
            out.println(new Json().field("app", failure.app())
                    .field("state", failure.state() == null ? null : failure.state().name())
                    .field("error", failure.getMessage()));
        } else {
            err.println(options.command + " failed: " + failure.line());
        }
        return FAILURE;
    }

    static int exitCode(State state) {
        switch (state) {
            case UP: return UP;
            case NOT_INSTALLED:
            case UPGRADE_REQUIRED: return UPGRADE_NEEDED;
            case SCHEMA_NEWER: return SCHEMA_NEWER;
            default: return FAILURE;
        }
    }

    private int run() throws Exception {
        if (options.command.equals("doctor")) {
            return new Doctor(options, out).run();
        }
        Configuration configuration = Configuration.read(options);
        GateSettings settings = configuration.settings();
        if (options.action != null) {
            return maintenance(configuration);
        }
        AppSettings app = configuration.reachable(options.app, options);
        try (Bundle bundle = Bundle.open(options.app, options.war, options.classpath)) {
            // Connect once first, so that a wrong password or a missing driver is said in the CLI's words.
            Database.open(options.app, app, bundle.classLoader(), settings.dbTimeoutSeconds(), options).close();
            try (Gatekeeper gatekeeper = Gatekeeper.start(settings)) {
                WebappParts gate = gatekeeper.open(bundle).parts();
                if (options.command.equals("release-lock")) {
                    return releaseLock(gate);
                }
                Status status = gate.monitor().refreshNow();
                if (options.command.equals("status")) {
                    print(gate, status);
                    return exitCode(status.state());
                }
                return upgrade(gate, status);
            }
        }
    }

    /**
     * Writes or clears the webapp's row in {@code UPGRADEGATE_MAINTENANCE}, as the HTTP API and JMX do
     * through the same {@link MaintenanceTable}; running servers follow within {@code refresh.seconds}.
     * With {@code --all}, every webapp in the configuration, going on past one that fails.
     */
    private int maintenance(Configuration configuration) throws CliFailure, IOException {
        GateSettings settings = configuration.settings();
        MaintenanceOrder order = "on".equals(options.action)
                ? MaintenanceOrder.of(options.message, null, options.minutes, null, System.currentTimeMillis()) : null;
        List<String> names = options.all ? configuration.apps() : List.of(options.app);
        if (names.isEmpty()) {
            throw new CliFailure(options.config + " configures no webapp (app.NAME.jdbc.url)");
        }
        int exit = UP;
        for (String name : names) {
            try {
                AppSettings app = configuration.reachable(name, options);
                try (Bundle driver = Bundle.open(name, null, options.classpath);
                     Connection connection = Database.open(name, app, driver.classLoader(),
                             settings.dbTimeoutSeconds(), options)) {
                    if ("on".equals(options.action)) {
                        printOn(name, settings, MaintenanceTable.turnOn(connection, name, order.message(),
                                order.untilMillis(), order.secret(), "cli@" + hostName()));
                    } else {
                        boolean was = MaintenanceTable.clear(connection, name);
                        out.println(options.json ? new Json().field("app", name).field("maintenance", false).toString()
                                : name + ": maintenance " + (was ? "turned off" : "was not on"));
                    }
                }
            } catch (CliFailure | SQLException | IllegalArgumentException e) {
                String message = e instanceof CliFailure ? ((CliFailure) e).line() : e.getMessage();
                out.println(options.json ? new Json().field("app", name).field("error", message).toString()
                        : name + ": maintenance " + options.action + " failed: " + message);
                exit = FAILURE;
            }
        }
        return exit;
    }

    private void printOn(String name, GateSettings settings, Maintenance maintenance) {
        // The CLI knows no server: the path assumes Tomcat's mapping of names to context paths.
        String context = Webapp.contextPathOf(name);
        String bypass = MaintenanceEndpoint.bypassPath(context, settings.installPath(), maintenance.secret());
        String until = maintenance.untilMillis() == 0 ? null : Instant.ofEpochMilli(maintenance.untilMillis()).toString();
        if (options.json) {
            out.println(new Json().field("app", name).field("maintenance", true).field("until", until)
                    .field("bypass", bypass));
        } else {
            out.println(name + ": maintenance on " + (until == null ? "until turned off" : "until " + until));
            out.println("  bypass: " + bypass);
        }
    }

    private int upgrade(WebappParts gate, Status before) throws InterruptedException, CliFailure {
        UpgradeRunner.Start start = gate.upgrades().start("cli@" + hostName(), false);
        switch (start) {
            case BUSY:
                throw new CliFailure(options.app, null, "an upgrade is already running on this database (the upgrade"
                        + " lock is held): wait for it, or run release-lock if its process died");
            case DB_UNAVAILABLE:
                throw new CliFailure(options.app, State.DB_UNAVAILABLE,
                        "the database cannot be reached to take the upgrade lock");
            case REFUSED:
                String node = gate.monitor().cluster().refusal();
                if (node != null && before.state().upgradable()) {
                    throw new CliFailure(options.app, null, "the upgrade cannot start through this node: " + node);
                }
                Status refused = gate.monitor().refreshNow();
                if (refused.state() != State.UP) {
                    message("no upgrade from " + refused.state() + ": " + refused.state().message());
                }
                print(gate, refused);
                return exitCode(refused.state());
            default:
                break;
        }
        UpgradeProgress progress = gate.upgrades().progress();
        int shown = 0;
        while (progress.finishedMillis() == 0) {
            shown = showProgress(progress, shown);
            Thread.sleep(50);
        }
        showProgress(progress, shown);
        Status after = gate.monitor().refreshNow();
        if (!options.json) {
            out.println(progress.succeeded()
                    ? "upgraded from " + (before.schemaVersion() == null ? "an empty database" : before.schemaVersion())
                            + " to bundle " + after.bundleVersion() + " (schema " + after.schemaVersion() + ") in "
                            + (progress.finishedMillis() - progress.startedMillis()) + " ms"
                    : "upgrade failed: " + after.lastError());
        }
        print(gate, after);
        return exitCode(after.state());
    }

    /** One line per changeset that ran since the last look: a fast one must not slip between two looks. */
    private int showProgress(UpgradeProgress progress, int shown) {
        List<PendingChangeset> ran = progress.ran();
        if (!options.json) {
            for (int i = shown; i < ran.size(); i++) {
                out.println("changeset " + (i + 1) + "/" + progress.total() + ": " + ran.get(i).id());
            }
            out.flush();
        }
        return ran.size();
    }

    /**
     * The same release as the install endpoint's and the wizard's: a lease left by an interrupted upgrade,
     * or one whose holder stopped renewing it for {@code lock.staleSeconds}, with the Liquibase lock such
     * a run left; never a live owner's.
     */
    private int releaseLock(WebappParts gate) throws SQLException {
        UpgradeLock.Release result = gate.upgrades().releaseStaleLock("cli@" + hostName());
        if (options.json) {
            out.println(new Json().field("result", result.name()));
        } else if (result == UpgradeLock.Release.REFUSED_LIVE_OWNER) {
            out.println("an upgrade is running (its lock is held and renewed): not releasing anything");
        } else {
            out.println(result == UpgradeLock.Release.RELEASED ? "released a stale upgrade lock" : "no lock was held");
        }
        return result == UpgradeLock.Release.REFUSED_LIVE_OWNER ? FAILURE : UP;
    }

    private void print(WebappParts gate, Status status) {
        List<PendingChangeset> pending = status.pending();
        String engine = gate.bundle().engine() == null ? null : gate.bundle().engine().name();
        if (options.json) {
            Json json = new Json().field("app", options.app).field("state", status.state().name())
                    .field("engine", engine).field("bundleVersion", status.bundleVersion())
                    .field("bundleVersionSource", gate.bundle().versionSource())
                    .field("schemaVersion", status.schemaVersion()).field("ahead", status.ahead());
            if (pending != null) {
                json.array("pendingChangesets", pending, InstallEndpoint::changeset);
            }
            out.println(json.field("lastError", status.lastError()));
            return;
        }
        out.println(options.app + ": " + status.state() + (status.state().code().isEmpty() ? "" : " (" + status.state().code() + ")"));
        if (engine != null) {
            out.println("  migrations: " + engine + " " + gate.bundle().engine().location());
        }
        out.println("  bundle version: " + status.bundleVersion() + " (" + gate.bundle().versionSource() + ")");
        out.println("  schema version: " + (status.schemaVersion() == null ? "none" : status.schemaVersion()));
        if (!status.ahead().isEmpty()) {
            out.println("  database ahead by: " + String.join(", ", status.ahead()));
        }
        if (pending != null && !pending.isEmpty()) {
            out.println("  pending changesets: " + pending.size());
            for (PendingChangeset changeset : pending) {
                out.println("    " + changeset.id() + " by " + changeset.author() + " in " + changeset.file());
            }
        }
        if (status.reason() != null && exitCode(status.state()) == FAILURE) {
            out.println("  why: " + status.reason());
        }
        if (status.lastError() != null) {
            out.println("  last error: " + status.lastError());
        }
    }

    private void message(String text) {
        if (!options.json) {
            out.println(text);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
