package dev.upgradegate.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.State;
import dev.upgradegate.gate.Status;
import dev.upgradegate.gate.UpgradeProgress;
import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.db.DriverConnectionSource;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.maintenance.Maintenance;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.gate.maintenance.MaintenanceTable;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * {@code status}, {@code upgrade}, {@code release-lock} and {@code maintenance on|off} for deploy pipelines: the same gate as the valve
 * and the agent, over a bundle outside any server, so the states, the upgrade and its lock are the web
 * endpoint's own.
 */
public final class Cli {

    static final int UP = 0;
    static final int FAILURE = 1;
    static final int UPGRADE_NEEDED = 2;
    static final int SCHEMA_NEWER = 3;

    /** Held so that its level sticks: the gate's per-state INFO lines would only repeat the CLI's own output. */
    private static final java.util.logging.Logger GATE_LOG = java.util.logging.Logger.getLogger("dev.upgradegate");

    private final CliOptions options;
    private final PrintStream out;
    /** The configuration's keys and values, for {@code --all} to find every webapp in it. */
    private final Map<String, String> values = new HashMap<>();

    private Cli(CliOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        CliOptions options;
        try {
            options = CliOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(CliOptions.USAGE);
            return FAILURE;
        }
        GATE_LOG.setLevel(java.util.logging.Level.WARNING);
        try {
            return new Cli(options, out).run();
        } catch (Exception e) {
            err.println(options.command + " failed: " + e.getMessage());
            return FAILURE;
        }
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
        GateSettings settings = settings();
        if (settings.problem() != null) {
            throw new IllegalArgumentException(settings.problem());
        }
        if (options.action != null) {
            return maintenance(settings);
        }
        reachable(settings, options.app);
        try (Bundle bundle = Bundle.open(options.app, options.war, options.classpath);
             Gatekeeper gatekeeper = Gatekeeper.start(settings)) {
            WebappGate gate = gatekeeper.open(bundle);
            if (options.command.equals("release-lock")) {
                return releaseLock(gate);
            }
            Status status = gate.refreshNow();
            if (options.command.equals("status")) {
                print(gate, status);
                return exitCode(status.state());
            }
            return upgrade(gate, status);
        }
    }

    /** The webapp's settings, if the CLI can reach its database from outside the server. */
    private static AppSettings reachable(GateSettings settings, String name) {
        AppSettings app = settings.forApp(name);
        if (app.problem() != null) {
            throw new IllegalArgumentException(app.problem());
        }
        if (app.jdbcUrl() == null) {
            throw new IllegalArgumentException(name + " has no jdbc.url"
                    + (app.datasource() != null ? " (a container datasource exists only inside the server)" : ""));
        }
        return app;
    }

    /**
     * Writes or clears the webapp's row in {@code UPGRADEGATE_MAINTENANCE}, as the HTTP API and JMX do
     * through the same {@link MaintenanceTable}; running servers follow within {@code refresh.seconds}.
     * With {@code --all}, every webapp in the configuration, going on past one that fails.
     */
    private int maintenance(GateSettings settings) throws IOException {
        long until = "on".equals(options.action)
                ? MaintenanceEndpoint.until(null, options.minutes, System.currentTimeMillis()) : 0;
        List<String> names = options.all ? configuredApps() : List.of(options.app);
        if (names.isEmpty()) {
            throw new IllegalArgumentException(options.config + " configures no webapp (app.NAME.jdbc.url)");
        }
        int exit = UP;
        for (String name : names) {
            try {
                AppSettings app = reachable(settings, name);
                try (Bundle driver = Bundle.open(name, null, options.classpath);
                     Connection connection = new DriverConnectionSource(app.jdbcUrl(), app.jdbcUser(),
                             app.jdbcPassword(), driver.classLoader(), settings.dbTimeoutSeconds() * 1000L).open()) {
                    if ("on".equals(options.action)) {
                        printOn(name, settings, MaintenanceTable.turnOn(connection, name, options.message, until, null,
                                "cli@" + hostName()));
                    } else {
                        boolean was = MaintenanceTable.clear(connection, name);
                        out.println(options.json ? new Json().field("app", name).raw("maintenance", "false").toString()
                                : name + ": maintenance " + (was ? "turned off" : "was not on"));
                    }
                }
            } catch (SQLException | IllegalArgumentException e) {
                out.println(options.json ? new Json().field("app", name).field("error", e.getMessage()).toString()
                        : name + ": maintenance " + options.action + " failed: " + e.getMessage());
                exit = FAILURE;
            }
        }
        return exit;
    }

    private void printOn(String name, GateSettings settings, Maintenance maintenance) {
        // The CLI knows no server: the path assumes Tomcat's mapping of names to context paths (ROOT is /, a#b is /a/b).
        String context = name.equals("ROOT") ? "" : "/" + name.replace('#', '/');
        String bypass = MaintenanceEndpoint.bypassPath(context, settings.installPath(), maintenance.secret());
        String until = maintenance.untilMillis() == 0 ? null : Instant.ofEpochMilli(maintenance.untilMillis()).toString();
        if (options.json) {
            out.println(new Json().field("app", name).raw("maintenance", "true").field("until", until)
                    .field("bypass", bypass));
        } else {
            out.println(name + ": maintenance on " + (until == null ? "until turned off" : "until " + until));
            out.println("  bypass: " + bypass);
        }
    }

    /** Every webapp the configuration names, as {@code app.NAME.jdbc.url} or {@code app.NAME.datasource}. */
    private List<String> configuredApps() {
        TreeSet<String> names = new TreeSet<>();
        for (String key : values.keySet()) {
            for (String suffix : new String[] {".jdbc.url", ".datasource"}) {
                if (key.startsWith("app.") && key.endsWith(suffix) && key.length() > 4 + suffix.length()) {
                    names.add(key.substring(4, key.length() - suffix.length()));
                }
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * The configuration, with a throwaway install token: the CLI opens no endpoint, and must never write
     * the server's token file.
     */
    private GateSettings settings() throws IOException {
        Path source;
        if (options.config != null) {
            source = options.config;
            Properties properties = new Properties();
            try (InputStream in = Files.newInputStream(source)) {
                properties.load(new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
            }
            for (String key : properties.stringPropertyNames()) {
                values.put(key, properties.getProperty(key));
            }
        } else {
            source = Path.of("command line");
            String prefix = "app." + options.app + ".";
            values.put(prefix + "jdbc.url", options.jdbcUrl);
            if (options.user != null) {
                values.put(prefix + "jdbc.user", options.user);
            }
            if (options.password != null) {
                values.put(prefix + "jdbc.password", options.password);
            }
        }
        if (options.changelog != null && options.app != null) {
            values.put("app." + options.app + ".changelog", options.changelog);
        }
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        values.put("install.token", Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        return GateSettings.of(source, values);
    }

    private int upgrade(WebappGate gate, Status before) throws InterruptedException {
        WebappGate.Start start = gate.startUpgrade("cli@" + hostName());
        switch (start) {
            case BUSY:
                message("an upgrade is already running on this database (the upgrade lock is held)");
                return FAILURE;
            case DB_UNAVAILABLE:
                message("the database cannot be reached to take the upgrade lock");
                return FAILURE;
            case REFUSED:
                Status refused = gate.refreshNow();
                if (refused.state() != State.UP) {
                    message("no upgrade from " + refused.state() + ": " + refused.state().message());
                }
                print(gate, refused);
                return exitCode(refused.state());
            default:
                break;
        }
        UpgradeProgress progress = gate.progress();
        int shown = 0;
        while (progress.finishedMillis() == 0) {
            shown = showProgress(progress, shown);
            Thread.sleep(50);
        }
        showProgress(progress, shown);
        Status after = gate.refreshNow();
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
    private int releaseLock(WebappGate gate) throws SQLException {
        UpgradeLock.Release result = gate.releaseStaleLock("cli@" + hostName());
        if (options.json) {
            out.println(new Json().field("result", result.name()));
        } else if (result == UpgradeLock.Release.REFUSED_LIVE_OWNER) {
            out.println("an upgrade is running (its lock is held and renewed): not releasing anything");
        } else {
            out.println(result == UpgradeLock.Release.RELEASED ? "released a stale upgrade lock" : "no lock was held");
        }
        return result == UpgradeLock.Release.REFUSED_LIVE_OWNER ? FAILURE : UP;
    }

    private void print(WebappGate gate, Status status) {
        List<PendingChangeset> pending = status.pending();
        String engine = gate.engine() == null ? null : gate.engine().name();
        if (options.json) {
            Json json = new Json().field("app", options.app).field("state", status.state().name())
                    .field("engine", engine).field("bundleVersion", status.bundleVersion())
                    .field("bundleVersionSource", gate.bundleVersionSource())
                    .field("schemaVersion", status.schemaVersion()).field("ahead", status.ahead());
            if (pending != null) {
                StringBuilder list = new StringBuilder("[");
                for (PendingChangeset changeset : pending) {
                    list.append(list.length() > 1 ? "," : "").append(new Json().field("id", changeset.id())
                            .field("author", changeset.author()).field("file", changeset.file()));
                }
                json.raw("pendingChangesets", list.append(']').toString());
            }
            out.println(json.field("lastError", status.lastError()));
            return;
        }
        out.println(options.app + ": " + status.state() + (status.state().code().isEmpty() ? "" : " (" + status.state().code() + ")"));
        if (engine != null) {
            out.println("  migrations: " + engine + " " + gate.engine().location());
        }
        out.println("  bundle version: " + status.bundleVersion() + " (" + gate.bundleVersionSource() + ")");
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
