package dev.upgradegate.demo;

import java.util.Objects;

/**
 * The demo's command line.
 *
 * @param port the HTTP port; 0 picks a free one
 * @param jdbcUrl an existing MySQL or MariaDB database to use instead of the embedded MariaDB, or {@code null}
 * @param user the user for {@code jdbcUrl}
 * @param password the password for {@code jdbcUrl}
 * @param verbose whether to show the full log of Tomcat, MariaDB and Liquibase, and stack traces
 * @param help whether only the usage was asked for
 * @param clean whether only the unpacked MariaDB binaries, kept between runs, are to be removed
 */
public record Options(int port, String jdbcUrl, String user, String password, boolean verbose, boolean help,
                      boolean clean) {

    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_USER = "root";

    public Options {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** Port 8080 and the embedded MariaDB. */
    public static Options defaults() {
        return new Options(DEFAULT_PORT, null, DEFAULT_USER, "", false, false, false);
    }

    public Options withPort(int newPort) {
        return new Options(newPort, jdbcUrl, user, password, verbose, help, clean);
    }

    public Options withDatabase(String newJdbcUrl, String newUser, String newPassword) {
        return new Options(port, newJdbcUrl, newUser, newPassword, verbose, help, clean);
    }

    public static String usage() {
        return String.join(System.lineSeparator(),
                "Usage: java -jar upgradegate-demo.jar [options]",
                "",
                "Runs the legacy shop webapp at bundle version 2.0.0 in embedded Tomcat 11 behind UpgradeGate, on a",
                "database at schema 1.0.0: the shop shows the maintenance page until you run the upgrade.",
                "",
                "Options:",
                "  --port N          HTTP port (default " + DEFAULT_PORT + ")",
                "  --jdbc-url URL    use this MySQL, MariaDB or PostgreSQL database instead of an embedded",
                "                    MariaDB, e.g. jdbc:mysql://localhost:3306/shop or",
                "                    jdbc:postgresql://localhost:5432/shop (created if missing, seeded at",
                "                    schema 1.0.0 if empty)",
                "  --user NAME       user for --jdbc-url (default " + DEFAULT_USER + ")",
                "  --password TEXT   password for --jdbc-url (default empty)",
                "  --verbose         show the log of Tomcat, MariaDB and Liquibase, and stack traces",
                "  --clean           remove the embedded MariaDB's unpacked server (about 365 MB in the temporary",
                "                    folder, kept so that the next start is quick), then exit",
                "  -h, --help        show this help");
    }

    /** Reads {@code --name value} and {@code --name=value} options. */
    public static Options parse(String... args) throws UsageException {
        int port = DEFAULT_PORT;
        String jdbcUrl = null;
        String user = null;
        String password = null;
        boolean verbose = false;
        boolean help = false;
        boolean clean = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            switch (name) {
                case "-h":
                case "--help":
                    noValue(name, inlineValue);
                    help = true;
                    break;
                case "--verbose":
                    noValue(name, inlineValue);
                    verbose = true;
                    break;
                case "--clean":
                    noValue(name, inlineValue);
                    clean = true;
                    break;
                case "--port": {
                    String value = inlineValue != null ? inlineValue : value(args, ++i, name);
                    port = port(value);
                    break;
                }
                case "--jdbc-url":
                    jdbcUrl = inlineValue != null ? inlineValue : value(args, ++i, name);
                    if (jdbcUrl.isBlank()) {
                        throw new UsageException("--jdbc-url needs a URL, e.g. jdbc:mysql://localhost:3306/shop");
                    }
                    break;
                case "--user":
                    user = inlineValue != null ? inlineValue : value(args, ++i, name);
                    break;
                case "--password":
                    password = inlineValue != null ? inlineValue : value(args, ++i, name);
                    break;
                default:
                    throw new UsageException(arg.startsWith("-")
                            ? "Unknown option: " + arg
                            : "Unexpected argument: " + arg + " (the demo takes options only)");
            }
        }
        if (jdbcUrl == null && (user != null || password != null)) {
            throw new UsageException("--user and --password go with --jdbc-url; the embedded MariaDB needs neither");
        }
        return new Options(port, jdbcUrl, user == null ? DEFAULT_USER : user, password == null ? "" : password,
                verbose, help, clean);
    }

    private static void noValue(String name, String inlineValue) throws UsageException {
        if (inlineValue != null) {
            throw new UsageException(name + " takes no value");
        }
    }

    private static String value(String[] args, int index, String name) throws UsageException {
        if (index >= args.length) {
            throw new UsageException(name + " needs a value");
        }
        return args[index];
    }

    private static int port(String value) throws UsageException {
        int port;
        try {
            port = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--port needs a number from 1 to 65535, not: " + value);
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("--port needs a number from 1 to 65535, not: " + value);
        }
        return port;
    }

    @Override
    public String toString() {
        return "Options[port=" + port + ", jdbcUrl=" + (jdbcUrl == null ? "embedded" : Database.masked(jdbcUrl))
                + ", user=" + user + ", password=" + (password.isEmpty() ? "" : "***") + ", verbose=" + verbose
                + ", help=" + help + "]";
    }

    /** A command line the demo cannot run with; the message says why, and the usage follows it. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }
}
