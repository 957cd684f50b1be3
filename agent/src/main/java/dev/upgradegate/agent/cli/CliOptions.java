package dev.upgradegate.agent.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.upgradegate.gate.config.Setting;

/** The CLI's command line. */
final class CliOptions {

    String command;
    Path config;
    String app;
    String jdbcUrl;
    String user;
    String password;
    String changelog;
    Path war;
    final List<Path> classpath = new ArrayList<>();
    boolean json;
    /** Stack traces and the libraries' own log lines, for reporting a bug. */
    boolean debug;
    /** {@code on} or {@code off} for {@code maintenance}. */
    String action;
    String message;
    String minutes;
    boolean all;

    /** The usage text, naming the CLI as it was started: {@code bin/upgradegate} or {@code java -jar …}. */
    static String usage(String invoked) {
        return String.join("\n",
                "usage: " + invoked + " status|upgrade|release-lock [options]",
                "       " + invoked + " doctor --config FILE [--app NAME [--war FILE]] [--classpath DRIVER.jar] [--json]",
                "       " + invoked + " maintenance on|off --config FILE --app NAME|--all [--message TEXT] "
                        + "[--minutes N] [--classpath DRIVER.jar]",
                "       " + invoked + " attach <pid> [config=/path/upgradegate.properties]",
                "  --config FILE        the valve's and agent's upgradegate.properties (with --app NAME)",
                "  --app NAME           the webapp's context name, as in app.NAME.* keys",
                "  --jdbc-url URL       instead of --config: the webapp's database",
                "  --user USER, --password PASSWORD, --changelog PATH (default: " + Setting.CHANGELOG.defaultValue() + ", "
                        + ".yaml, .yml, .json or .sql)",
                "  --war FILE|DIR       the webapp's bundle: its changelog and META-INF/MANIFEST.MF",
                "  --classpath PATHS    class path entries (folders, jars; '" + File.pathSeparator + "'-separated): a "
                        + "bundle without a WAR, and the JDBC driver",
                "  --json               machine-readable output on stdout, errors included",
                "  --debug              stack traces and the libraries' log lines, for a bug report",
                "  --message TEXT, --minutes N   maintenance on: what visitors read, and when it ends by itself",
                "  --all                maintenance: every webapp with a jdbc.url in --config",
                "exit codes: 0 UP, 2 upgrade required or not installed, 3 schema newer than the bundle, 1 anything else;",
                "  doctor: 0 no check failed (warnings are advice), 2 a check failed, 1 doctor could not run");
    }

    /** Whether {@code args} ask for JSON, known even when they do not parse: errors must be JSON then too. */
    static boolean wantsJson(String[] args) {
        return Arrays.asList(args).contains("--json");
    }

    static boolean wantsDebug(String[] args) {
        return Arrays.asList(args).contains("--debug");
    }

    static CliOptions parse(String[] args) {
        CliOptions options = new CliOptions();
        if (args.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        options.command = args[0];
        if (!List.of("status", "upgrade", "release-lock", "maintenance", "doctor").contains(options.command)) {
            throw new IllegalArgumentException("unknown command '" + options.command + "'");
        }
        int first = 1;
        if (options.command.equals("maintenance")) {
            if (args.length < 2 || !List.of("on", "off").contains(args[1])) {
                throw new IllegalArgumentException("maintenance needs on or off");
            }
            options.action = args[1];
            first = 2;
        }
        for (int i = first; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--json")) {
                options.json = true;
                continue;
            }
            if (arg.equals("--debug")) {
                options.debug = true;
                continue;
            }
            if (arg.equals("--all")) {
                options.all = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            String value = args[++i];
            switch (arg) {
                case "--config": options.config = Path.of(value); break;
                case "--app": options.app = value; break;
                case "--jdbc-url": options.jdbcUrl = value; break;
                case "--user": options.user = value; break;
                case "--password": options.password = value; break;
                case "--changelog": options.changelog = value; break;
                case "--war": options.war = Path.of(value); break;
                case "--message": options.message = value; break;
                case "--minutes": options.minutes = value; break;
                case "--classpath":
                    for (String entry : value.split(File.pathSeparator)) {
                        if (!entry.isEmpty()) {
                            options.classpath.add(Path.of(entry));
                        }
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return options.command.equals("doctor") ? options.checkDoctor() : options.checkOthers();
    }

    /** Doctor checks a configuration file: every webapp in it, or one, with its bundle where given. */
    private CliOptions checkDoctor() {
        if (config == null || jdbcUrl != null) {
            throw new IllegalArgumentException("doctor checks a configuration file: give --config FILE, not --jdbc-url");
        }
        if (war != null && app == null) {
            throw new IllegalArgumentException("--war is one webapp's bundle: give --app NAME with it");
        }
        if (all || message != null || minutes != null || user != null || password != null) {
            throw new IllegalArgumentException("doctor takes --config, --app, --war, --changelog, --classpath and --json");
        }
        return this;
    }

    private CliOptions checkOthers() {
        if ((config == null) == (jdbcUrl == null)) {
            throw new IllegalArgumentException("give either --config FILE --app NAME or --jdbc-url URL");
        }
        if (all && (app != null || config == null || action == null)) {
            throw new IllegalArgumentException("--all is for maintenance, with --config FILE and without --app");
        }
        if (config != null && app == null && !all) {
            throw new IllegalArgumentException("--config needs --app NAME");
        }
        if ((message != null || minutes != null) && !"on".equals(action)) {
            throw new IllegalArgumentException("--message and --minutes are for maintenance on");
        }
        if (app == null && !all) {
            app = "app";
        }
        // Maintenance and the lock live in the database alone: they need no bundle, only the JDBC driver.
        if (!command.equals("release-lock") && action == null && war == null && classpath.isEmpty()) {
            throw new IllegalArgumentException(command + " needs the bundle: --war FILE or --classpath DIR");
        }
        return this;
    }

    /**
     * Where the user sets {@code key} of webapp {@code name}: the option, or the key in the configuration file.
     * Error messages name it, so that the fix is where the user looks.
     */
    String whereIs(String key, String name) {
        if (config != null) {
            return "app." + name + "." + key + " in " + config;
        }
        switch (key) {
            case "jdbc.url": return "--jdbc-url";
            case "jdbc.user": return "--user";
            case "jdbc.password": return "--password";
            case "changelog": return "--changelog";
            default: return key;
        }
    }
}
