package dev.upgradegate.demo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.upgradegate.gate.config.Setting;
import dev.upgradegate.migrations.Dialect;
import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.testsupport.EmbeddedMariaDb;

/**
 * The shop's database: on an embedded MariaDB the demo runs, or on a MySQL, MariaDB or PostgreSQL server given with
 * --jdbc-url.
 */
final class Database implements AutoCloseable {

    static final String DEFAULT_NAME = "shop";

    /** MySQL and MariaDB error 1049: Unknown database. */
    private static final int UNKNOWN_DATABASE = 1049;
    /** PostgreSQL's SQLSTATE for the same, invalid_catalog_name. */
    private static final String UNKNOWN_DATABASE_PG = "3D000";
    /** PostgreSQL's SQLSTATE for a wrong user or password, invalid_password. */
    private static final String WRONG_PASSWORD_PG = "28P01";
    private static final Pattern URL = Pattern.compile(
            "jdbc:(mysql|mariadb|postgresql)://([^/?]+)(?:/([^?]*))?(\\?.*)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password[0-9]*=)[^&]*");
    private static final Pattern PASSWORD_IN_AUTHORITY = Pattern.compile("(//[^:/@]+:)[^@/]*@");

    private final EmbeddedMariaDb embedded;
    private final String url;
    private final String user;
    private final String password;
    private final String description;

    private Database(EmbeddedMariaDb embedded, String url, String user, String password, String description) {
        this.embedded = embedded;
        this.url = url;
        this.user = user;
        this.password = password;
        this.description = description;
    }

    /** Starts a MariaDB server in a temporary directory, deleted when it stops, and creates the shop's database. */
    static Database embedded() {
        requireLinuxX64();
        EmbeddedMariaDb server;
        try {
            server = EmbeddedMariaDb.start(0, null);
        } catch (RuntimeException e) {
            throw new DemoException("The embedded MariaDB server did not start: " + Failures.describe(e)
                    + System.lineSeparator()
                    + "It needs the libraries libaio1, libncurses6 and libxml2 (Debian: apt-get install libaio1"
                    + " libncurses6 libxml2); or run the demo on your own server with --jdbc-url.", e);
        }
        try {
            server.createDatabase(DEFAULT_NAME);
        } catch (RuntimeException e) {
            stopQuietly(server);
            throw new DemoException("Could not create database " + DEFAULT_NAME + " on the embedded MariaDB server: "
                    + Failures.describe(e), e);
        }
        return new Database(server, server.jdbcUrl(DEFAULT_NAME), server.user(), server.password(),
                "embedded MariaDB at " + server.host() + ":" + server.port() + ", database " + DEFAULT_NAME);
    }

    /** Where the embedded server keeps its data (removed when it stops), or {@code null} for an external one. */
    Path dataDir() {
        return embedded == null ? null : embedded.baseDir();
    }

    /** Checks that the database at {@code jdbcUrl} can be reached, creating it if the server lacks it. */
    static Database external(String jdbcUrl, String user, String password, PrintStream out) {
        Matcher matcher = URL.matcher(jdbcUrl.trim());
        if (!matcher.matches()) {
            throw new DemoException("--jdbc-url is not a MySQL, MariaDB or PostgreSQL JDBC URL: " + masked(jdbcUrl)
                    + System.lineSeparator() + "Expected jdbc:mysql://host[:port]/database[?parameters], e.g."
                    + " jdbc:mysql://localhost:3306/shop or jdbc:postgresql://localhost:5432/shop");
        }
        boolean postgres = matcher.group(1).equalsIgnoreCase("postgresql");
        String hostPart = matcher.group(2);
        String name = matcher.group(3) == null || matcher.group(3).isEmpty() ? DEFAULT_NAME : matcher.group(3);
        String query = matcher.group(4) == null ? "" : matcher.group(4);
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new DemoException("--jdbc-url names database \"" + name
                    + "\"; the demo wants a plain name (letters, digits, _), e.g. jdbc:mysql://localhost:3306/shop");
        }
        // For MySQL and MariaDB the driver on board is MySQL Connector/J, which speaks to MariaDB too but not as
        // jdbc:mariadb:. PostgreSQL always connects to a database: postgres is on every server.
        String scheme = postgres ? "jdbc:postgresql://" : "jdbc:mysql://";
        String url = scheme + hostPart + "/" + name + query;
        String serverUrl = scheme + hostPart + "/" + (postgres ? "postgres" : "") + query;
        out.println("Connecting to " + masked(url) + " as " + user + "...");
        try (Connection connection = connect(url, user, password)) {
            connection.isValid(5);
        } catch (SQLException e) {
            if (e.getErrorCode() != UNKNOWN_DATABASE && !UNKNOWN_DATABASE_PG.equals(e.getSQLState())) {
                throw cannotConnect(url, user, e);
            }
            out.println("Database " + name + " does not exist on " + hostPart + "; creating it.");
            try (Connection server = connect(serverUrl, user, password);
                    Statement statement = server.createStatement()) {
                statement.execute(postgres ? "CREATE DATABASE \"" + name + "\""
                        : "CREATE DATABASE IF NOT EXISTS `" + name + "`");
            } catch (SQLException createFailed) {
                throw new DemoException("Database " + name + " does not exist on " + hostPart
                        + ", and creating it failed: " + Failures.describe(createFailed), createFailed);
            }
        }
        return new Database(null, url, user, password, masked(url) + " as " + user);
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    /** The JDBC driver for {@link #url()}, for the shop's context.xml. */
    String driverClass() {
        return url.startsWith("jdbc:postgresql:") ? "org.postgresql.Driver" : "com.mysql.cj.jdbc.Driver";
    }

    String description() {
        return description;
    }

    /**
     * Seeds an empty database at schema 1.0.0 with the shop 1.0.0 changelog, run by UpgradeGate's own LiquibaseEngine;
     * leaves a database with tables as it is. Returns what it found or did, for the user.
     */
    String seed(ClassLoader release1Changelog) {
        try (Connection connection = connect(url, user, password)) {
            LiquibaseEngine release1 = new LiquibaseEngine(Setting.CHANGELOG.defaultValue(), release1Changelog);
            SchemaState found = release1.inspect(connection);
            if (found.kind() != SchemaState.Kind.NOT_INSTALLED) {
                return "schema " + found.label() + " (found; left as it is)";
            }
            int tables = tableCount(connection);
            if (tables > 0) {
                return tables + " tables without Liquibase history (found; left as it is)";
            }
            release1.update(connection, UpgradeListener.NONE);
            return "schema " + release1.inspect(connection).label() + " (seeded with the shop 1.0.0 changelog)";
        } catch (SQLException e) {
            throw new DemoException("Could not read the shop's schema at " + masked(url) + ": "
                    + Failures.describe(e), e);
        } catch (MigrationException e) {
            throw new DemoException("Seeding the shop's schema at 1.0.0 failed: " + e.getMessage(), e);
        }
    }

    private static int tableCount(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = " + Dialect.of(connection).currentSchema())) {
            row.next();
            return row.getInt(1);
        }
    }

    /** Stops the embedded server, if this is one; an external database is left alone. */
    @Override
    public void close() {
        if (embedded != null) {
            embedded.stop();
        }
    }

    static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        if (!url.contains("connectTimeout=")) {
            // Ten seconds: MySQL's drivers count milliseconds, PostgreSQL's seconds.
            properties.setProperty("connectTimeout", url.startsWith("jdbc:postgresql:") ? "10" : "10000");
        }
        return DriverManager.getConnection(url, properties);
    }

    /** The URL as it may be shown: without the value of a password parameter. */
    static String masked(String url) {
        String hidden = PASSWORD_IN_AUTHORITY.matcher(url).replaceFirst("$1***@");
        return PASSWORD_PARAMETER.matcher(hidden).replaceAll("$1***");
    }

    private static DemoException cannotConnect(String url, String user, SQLException e) {
        String message = "Cannot connect to " + masked(url) + " as " + user + ": " + Failures.describe(e);
        String text = String.valueOf(e.getMessage());
        if (text.contains("Public Key Retrieval is not allowed")) {
            message += System.lineSeparator() + "Add ?allowPublicKeyRetrieval=true&useSSL=false to --jdbc-url"
                    + " (MySQL 8's caching_sha2_password without TLS).";
        } else if (Failures.find(e, ConnectException.class) != null || Failures.find(e, UnknownHostException.class) != null
                || text.startsWith("Communications link failure")) {
            message += System.lineSeparator() + "Is the server running, and is the host and port in --jdbc-url right?";
        } else if (e.getErrorCode() == 1045 || WRONG_PASSWORD_PG.equals(e.getSQLState())) {
            message += System.lineSeparator() + "Check --user and --password.";
        }
        return new DemoException(message, e);
    }

    private static void requireLinuxX64() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new DemoException("The embedded MariaDB server in this jar runs on Linux x86-64 only, not on "
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "." + System.lineSeparator()
                    + "Run the demo on your own MySQL or MariaDB with --jdbc-url jdbc:mysql://HOST:3306/shop"
                    + " --user USER --password PASSWORD.");
        }
    }

    private static void stopQuietly(EmbeddedMariaDb server) {
        try {
            server.stop();
        } catch (RuntimeException ignored) {
            // Its shutdown hook and tether script end it anyway.
        }
    }
}
