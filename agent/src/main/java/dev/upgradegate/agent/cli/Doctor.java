package dev.upgradegate.agent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.config.LastGoodConfiguration;
import dev.upgradegate.gate.db.MaintenanceTable;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.install.Preflight;
import dev.upgradegate.gate.install.WebappParts;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.migrations.Dialect;

/**
 * {@code doctor}: the install wizard's pre-flight checks for the command line, and what a hosting provider meets
 * in the first hour besides: whether the configuration file parses, each webapp's database is reachable and lets
 * its user create and alter tables, its tables are what an upgrade expects, the bundle carries its migrations,
 * and the install endpoint's token and guards are sound. One line per check, each saying what to fix.
 * Read-only, like the wizard's checks: it creates nothing to find out.
 */
final class Doctor {

    /** Exit code when a check failed; warnings are advice and leave the exit code 0. */
    static final int CHECK_FAILED = 2;

    private enum Level { OK, WARN, FAIL }

    private static final class Finding {
        final String app;
        final String check;
        final Level level;
        final String detail;

        Finding(String app, String check, Level level, String detail) {
            this.app = app;
            this.check = check;
            this.level = level;
            this.detail = detail;
        }
    }

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    /** UpgradeGate's own tables share this prefix (UPGRADEGATE_LOCK, UPGRADEGATE_MAINTENANCE). */
    private static final String OWN_TABLES = MaintenanceTable.TABLE.substring(0, MaintenanceTable.TABLE.indexOf('_') + 1);

    private final CliOptions options;
    private final PrintStream out;
    private final List<Finding> findings = new ArrayList<>();

    Doctor(CliOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    int run() throws IOException {
        Configuration configuration;
        try {
            configuration = Configuration.read(options);
        } catch (CliFailure e) {
            Path lastGood = LastGoodConfiguration.copyOf(options.config);
            add(null, "Configuration", Level.FAIL, e.getMessage() + (Files.isRegularFile(lastGood)
                    ? " (the server keeps running on " + lastGood + " until this is fixed and it restarts)" : ""));
            return report();
        }
        List<String> apps = configuration.apps();
        add(null, "Configuration", Level.OK, options.config + " is valid; it configures "
                + (apps.isEmpty() ? "no webapp by name" : String.join(", ", apps)));
        for (String warning : configuration.asFiled().warnings()) {
            add(null, "Key spelling", Level.WARN, warning);
        }
        installToken(configuration);
        installEndpoint(configuration.asFiled());
        List<String> names = options.app != null ? List.of(options.app) : apps;
        if (names.isEmpty()) {
            add(null, "Webapps", Level.FAIL, options.config + " names no webapp: add app.NAME.jdbc.url "
                    + "(or app.NAME.datasource) for each gated webapp, or give --app NAME");
        }
        try (Gatekeeper gatekeeper = Gatekeeper.start(configuration.settings())) {
            for (String name : names) {
                webapp(name, configuration, gatekeeper);
            }
        }
        return report();
    }

    /** A generated token's file must be the owner's alone; a token or password in the file, not everyone's. */
    private void installToken(Configuration configuration) throws IOException {
        GateSettings filed = configuration.asFiled();
        if (filed.installToken() == null) {
            Path file = filed.tokenFile();
            Set<PosixFilePermission> loose = Files.exists(file) ? permissions(file, GROUP_OR_OTHERS) : Set.of();
            if (!Files.exists(file)) {
                add(null, "Install token", Level.OK, file + " is not written yet: the server generates it, readable"
                        + " by its owner only, at its first start");
            } else if (loose == null) {
                add(null, "Install token", Level.WARN, "cannot read the permissions of " + file
                        + " on this file system: make sure only the server's user can read it");
            } else if (loose.isEmpty()) {
                add(null, "Install token", Level.OK, file + " is readable by its owner only");
            } else {
                add(null, "Install token", Level.FAIL, file + " is open to its group or others ("
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)) + "): chmod 600 " + file);
            }
        }
        List<String> secrets = configuration.secretKeys();
        if (!secrets.isEmpty()) {
            Set<PosixFilePermission> open = permissions(options.config, OTHERS);
            String keys = String.join(", ", new java.util.TreeSet<>(secrets));
            if (open == null) {
                add(null, "Secrets in the file", Level.WARN, options.config + " holds " + keys + ", and its permissions"
                        + " cannot be read on this file system: make sure others cannot read it");
            } else if (!open.isEmpty()) {
                add(null, "Secrets in the file", Level.WARN, options.config + " holds " + keys + " and others can read it ("
                        + PosixFilePermissions.toString(Files.getPosixFilePermissions(options.config)) + "): chmod o-rwx "
                        + options.config);
            } else {
                add(null, "Secrets in the file", Level.OK, options.config + " holds " + keys
                        + ", and others cannot read it");
            }
        }
    }

    /** Of {@code watched}, the permissions {@code file} has; {@code null} where the file system has none. */
    private static Set<PosixFilePermission> permissions(Path file, Set<PosixFilePermission> watched) throws IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return null;
        }
        Set<PosixFilePermission> found = EnumSet.noneOf(PosixFilePermission.class);
        found.addAll(Files.getPosixFilePermissions(file));
        found.retainAll(watched);
        return found;
    }

    private void installEndpoint(GateSettings filed) {
        if (filed.requireSecure()) {
            add(null, "Install over HTTPS", Level.OK, "install.requireSecure is on: plain HTTP is refused except from"
                    + " loopback");
        } else {
            add(null, "Install over HTTPS", Level.WARN, "install.requireSecure=false: the token and the wizard may cross"
                    + " the network in plain HTTP: keep it true, and reach the wizard over HTTPS or an SSH tunnel");
        }
        if (filed.installAllow() == null) {
            add(null, "Install addresses", Level.WARN, "install.allow is not set: any address may reach the install"
                    + " endpoint (it still needs the token): set it to your admins' networks, e.g."
                    + " install.allow=127.0.0.0/8, 10.0.0.0/8");
        } else {
            add(null, "Install addresses", Level.OK, "install.allow: " + filed.installAllow().toString()
                    .replaceAll("^\\[|\\]$", ""));
        }
    }

    private void webapp(String name, Configuration configuration, Gatekeeper gatekeeper) throws IOException {
        AppSettings app;
        try {
            app = configuration.reachable(name, options);
        } catch (CliFailure e) {
            AppSettings settings = configuration.settings().forApp(name);
            if (settings.problem() == null && settings.datasource() != null) {
                add(name, "Database reachable", Level.WARN, "its datasource " + settings.datasource() + " exists only"
                        + " inside the server, so doctor cannot reach it; the wizard's overview checks it there (or set"
                        + " app." + name + ".jdbc.url for the CLI)");
            } else {
                add(name, "Settings", Level.FAIL, e.getMessage());
            }
            return;
        }
        Path war = name.equals(options.app) ? options.war : null;
        try (Bundle bundle = Bundle.open(name, war, options.classpath)) {
            try {
                Database.open(name, app, bundle.classLoader(), configuration.settings().dbTimeoutSeconds(), options)
                        .close();
            } catch (CliFailure e) {
                add(name, "Database reachable", Level.FAIL, e.getMessage());
                return;
            } catch (java.sql.SQLException e) {
                // Closing failed: the connection was made, which is what this check asks.
            }
            WebappParts gate = gatekeeper.open(bundle).parts();
            for (Preflight.Check check : Preflight.run(gate)) {
                add(name, check.name, check.passed ? Level.OK : Level.FAIL, check.detail);
            }
            tables(name, app, gate);
            migrations(name, gate, war != null);
        } catch (CliFailure e) {
            add(name, "Bundle", Level.FAIL, e.getMessage());
        }
    }

    /**
     * The history table an upgrade continues, or an empty schema it starts; a schema of tables without history
     * is where an install would run every changeset against tables that exist.
     */
    private void tables(String name, AppSettings app, WebappParts gate) {
        List<String> history = gate.bundle().engine() != null ? List.of(gate.bundle().engine().history().table())
                : List.of(app.liquibaseTable(), app.flywayTable());
        List<String> found;
        try {
            found = gate.database().withConnection(connection -> {
                List<String> names = new ArrayList<>();
                try (PreparedStatement query = connection.prepareStatement(
                        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                                + Dialect.of(connection).currentSchema()); ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
                return names;
            });
        } catch (Exception e) {
            add(name, "Tables", Level.FAIL, "cannot list the schema's tables: " + e.getMessage());
            return;
        }
        List<String> own = new ArrayList<>();
        String historyFound = null;
        int others = 0;
        for (String table : found) {
            String upper = table.toUpperCase(Locale.ROOT);
            if (upper.startsWith(OWN_TABLES)) {
                own.add(table);
            } else if (history.stream().anyMatch(table::equalsIgnoreCase)) {
                historyFound = table;
            } else if (!upper.equals(app.liquibaseLockTable().toUpperCase(Locale.ROOT))) {
                others++;
            }
        }
        String ours = own.isEmpty() ? "UpgradeGate's own tables are made at the first upgrade or maintenance"
                : "UpgradeGate's own tables: " + String.join(", ", own);
        if (historyFound != null) {
            add(name, "Tables", Level.OK, "history table " + historyFound + " and " + others + " other tables; " + ours);
        } else if (others == 0) {
            add(name, "Tables", Level.OK, "empty schema: the first upgrade installs everything; " + ours);
        } else {
            add(name, "Tables", Level.WARN, others + " tables but no history table (" + String.join(" or ", history)
                    + "): an install would run every changeset against tables that exist; if the schema already"
                    + " matches the bundle, baseline it first (Liquibase changelog-sync, Flyway baseline)");
        }
    }

    /** The bundle's migrations, and the state they give with this database. */
    private void migrations(String name, WebappParts gate, boolean warGiven) {
        if (gate.bundle().engine() == null && !warGiven) {
            add(name, "Migrations", Level.WARN, "not checked: give --app " + name + " --war FILE to check the bundle");
            return;
        }
        Status status = gate.monitor().refreshNow();
        if (gate.bundle().engine() == null) {
            add(name, "Migrations", Level.FAIL, status.reason() + ": check --war, or set app." + name
                    + ".changelog, app." + name + ".migrations or app." + name + ".flyway.locations");
            return;
        }
        add(name, "Migrations", Level.OK, gate.bundle().engine().name() + " " + gate.bundle().engine().location()
                + ", bundle version " + status.bundleVersion() + " (" + gate.bundle().versionSource() + ")");
        State state = status.state();
        int pending = status.pending() == null ? 0 : status.pending().size();
        Level level = state == State.MISCONFIGURED || state == State.DB_UNAVAILABLE ? Level.FAIL
                : state == State.UP || state == State.NOT_INSTALLED || state == State.UPGRADE_REQUIRED ? Level.OK
                : Level.WARN;
        String detail = state + (pending > 0 ? ", " + pending + " changesets to run (upgrade runs them)" : "")
                + (level != Level.OK && status.reason() != null ? ": " + status.reason() : "")
                + (status.lastError() == null ? "" : "; the last upgrade failed: " + status.lastError());
        add(name, "State", level, detail);
    }

    private void add(String app, String check, Level level, String detail) {
        findings.add(new Finding(app, check, level, detail));
    }

    private int report() {
        long failed = findings.stream().filter(finding -> finding.level == Level.FAIL).count();
        long warned = findings.stream().filter(finding -> finding.level == Level.WARN).count();
        int exit = failed > 0 ? CHECK_FAILED : Cli.UP;
        if (options.json) {
            out.println(new Json().field("config", options.config.toString())
                    .field("result", failed > 0 ? Level.FAIL.name() : warned > 0 ? Level.WARN.name() : Level.OK.name())
                    .array("checks", findings, finding -> new Json().field("app", finding.app)
                            .field("check", finding.check).field("level", finding.level.name())
                            .field("detail", finding.detail)));
            return exit;
        }
        for (Finding finding : findings) {
            out.printf("%-5s %s%s: %s%n", finding.level, finding.app == null ? "" : finding.app + ": ", finding.check,
                    finding.detail);
        }
        out.println("doctor: " + (failed == 0 && warned == 0 ? "all checks passed"
                : failed + " failed, " + warned + (warned == 1 ? " warning" : " warnings")) + " (exit " + exit + ")");
        return exit;
    }
}
