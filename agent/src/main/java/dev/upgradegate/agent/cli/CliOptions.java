package dev.upgradegate.agent.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI's command line. */
final class CliOptions {

    static final String USAGE = String.join("\n",
            "usage: java -jar upgradegate-agent.jar status|upgrade|release-lock [options]",
            "       java -jar upgradegate-agent.jar maintenance on|off --config FILE --app NAME|--all [--message TEXT] "
                    + "[--minutes N] [--classpath DRIVER.jar]",
            "       java -jar upgradegate-agent.jar attach <pid> [config=/path/upgradegate.properties]",
            "  --config FILE        the valve's and agent's upgradegate.properties (with --app NAME)",
            "  --app NAME           the webapp's context name, as in app.NAME.* keys",
            "  --jdbc-url URL       instead of --config: the webapp's database",
            "  --user USER, --password PASSWORD, --changelog PATH (default: db/changelog/db.changelog-master.xml, .yaml, .yml, .json or .sql)",
            "  --war FILE|DIR       the webapp's bundle: its changelog and META-INF/MANIFEST.MF",
            "  --classpath PATHS    class path entries (folders, jars; '" + File.pathSeparator + "'-separated): a bundle "
                    + "without a WAR, and the JDBC driver",
            "  --json               machine-readable output",
            "  --message TEXT, --minutes N   maintenance on: what visitors read, and when it ends by itself",
            "  --all                maintenance: every webapp with a jdbc.url in --config",
            "exit codes: 0 UP, 2 upgrade required or not installed, 3 schema newer than the bundle, 1 anything else");

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
    /** {@code on} or {@code off} for {@code maintenance}. */
    String action;
    String message;
    String minutes;
    boolean all;

    static CliOptions parse(String[] args) {
        CliOptions options = new CliOptions();
        if (args.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        options.command = args[0];
        if (!List.of("status", "upgrade", "release-lock", "maintenance").contains(options.command)) {
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
        if ((options.config == null) == (options.jdbcUrl == null)) {
            throw new IllegalArgumentException("give either --config FILE --app NAME or --jdbc-url URL");
        }
        if (options.all && (options.app != null || options.config == null || options.action == null)) {
            throw new IllegalArgumentException("--all is for maintenance, with --config FILE and without --app");
        }
        if (options.config != null && options.app == null && !options.all) {
            throw new IllegalArgumentException("--config needs --app NAME");
        }
        if ((options.message != null || options.minutes != null) && !"on".equals(options.action)) {
            throw new IllegalArgumentException("--message and --minutes are for maintenance on");
        }
        if (options.app == null && !options.all) {
            options.app = "app";
        }
        // Maintenance and the lock live in the database alone: they need no bundle, only the JDBC driver.
        if (!options.command.equals("release-lock") && options.action == null && options.war == null && options.classpath.isEmpty()) {
            throw new IllegalArgumentException(options.command + " needs the bundle: --war FILE or --classpath DIR");
        }
        return options;
    }
}
