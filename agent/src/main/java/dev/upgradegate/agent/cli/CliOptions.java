package dev.upgradegate.agent.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The CLI's command line. */
final class CliOptions {

    static final String USAGE = String.join("\n",
            "usage: java -jar upgradegate-agent.jar status|upgrade|release-lock [options]",
            "       java -jar upgradegate-agent.jar attach <pid> [config=/path/upgradegate.properties]",
            "  --config FILE        the valve's and agent's upgradegate.properties (with --app NAME)",
            "  --app NAME           the webapp's context name, as in app.NAME.* keys",
            "  --jdbc-url URL       instead of --config: the webapp's database",
            "  --user USER, --password PASSWORD, --changelog PATH (default db/changelog/db.changelog-master.xml)",
            "  --war FILE|DIR       the webapp's bundle: its changelog and META-INF/MANIFEST.MF",
            "  --classpath PATHS    class path entries (folders, jars; '" + File.pathSeparator + "'-separated): a bundle "
                    + "without a WAR, and the JDBC driver",
            "  --json               machine-readable output",
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

    static CliOptions parse(String[] args) {
        CliOptions options = new CliOptions();
        if (args.length == 0) {
            throw new IllegalArgumentException("no command");
        }
        options.command = args[0];
        if (!List.of("status", "upgrade", "release-lock").contains(options.command)) {
            throw new IllegalArgumentException("unknown command '" + options.command + "'");
        }
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--json")) {
                options.json = true;
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
        if (options.config != null && options.app == null) {
            throw new IllegalArgumentException("--config needs --app NAME");
        }
        if (options.app == null) {
            options.app = "app";
        }
        if (!options.command.equals("release-lock") && options.war == null && options.classpath.isEmpty()) {
            throw new IllegalArgumentException(options.command + " needs the bundle: --war FILE or --classpath DIR");
        }
        return options;
    }
}
