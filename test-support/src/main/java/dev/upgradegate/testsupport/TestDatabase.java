package dev.upgradegate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class its own fresh, empty database, dropped after the class:
 *
 * <pre>{@code @RegisterExtension static final TestDatabase DB = new TestDatabase();}</pre>
 *
 * <p>The server is shared by the whole JVM and chosen on first use: the external server named by
 * the environment variable or system property UPGRADEGATE_TEST_JDBC_URL (with
 * UPGRADEGATE_TEST_JDBC_USER and UPGRADEGATE_TEST_JDBC_PASSWORD, default root and empty), else
 * MySQL 8.4 in Docker through Testcontainers when a Docker engine answers, else an embedded MariaDB
 * server. Without any, tests fail; they never skip. The URLs are for the driver {@link TestDriver#selected()}.
 *
 * <p>{@code new TestDatabase(DatabaseKind.POSTGRESQL)} gives a PostgreSQL database instead, on a server chosen
 * the same way: UPGRADEGATE_TEST_PG_URL (with UPGRADEGATE_TEST_PG_USER and UPGRADEGATE_TEST_PG_PASSWORD, default
 * postgres and empty), else PostgreSQL 15 in Docker, else an embedded PostgreSQL 15 (zonky).
 *
 * <p>Registered on an instance field instead, it gives each test method its own database.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private static final String PROXY_HOST = "127.0.0.1";

    private final DatabaseKind kind;
    private DatabaseServer server;
    private String databaseName;
    private final List<String> databases = new ArrayList<>();
    private TcpProxy proxy;
    /** The unique id of the JUnit context (class or method) whose end drops the databases. */
    private String owner;

    /** A MySQL or MariaDB database. */
    public TestDatabase() {
        this(DatabaseKind.MYSQL);
    }

    public TestDatabase(DatabaseKind kind) {
        this.kind = kind;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        // A @Nested class sees the same extension again: it keeps the outer class's database.
        if (owner == null) {
            owner = context.getUniqueId();
            create(context.getRequiredTestClass().getSimpleName());
        }
    }

    @Override
    public synchronized void beforeEach(ExtensionContext context) {
        // JUnit calls only the per-method callbacks of an extension held in an instance field.
        if (owner == null) {
            owner = context.getUniqueId();
            create(context.getRequiredTestClass().getSimpleName());
        }
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) throws SQLException {
        if (context.getUniqueId().equals(owner)) {
            dropAll();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws SQLException {
        if (context.getUniqueId().equals(owner)) {
            dropAll();
        }
    }

    /** The URL of this class's own database. */
    public String jdbcUrl() {
        return server().url(databaseName());
    }

    public String user() {
        return server().user();
    }

    public String password() {
        return server().password();
    }

    public synchronized String databaseName() {
        if (!created()) {
            create("db");
        }
        return databaseName;
    }

    /** A new connection to this class's database; the caller closes it. */
    public Connection open() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /**
     * Creates another fresh database on the same server, dropped with this class's database.
     *
     * @return its JDBC URL
     */
    public synchronized String createDatabase(String prefix) {
        String name = Databases.uniqueName(prefix);
        try {
            server().createDatabase(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on " + server().description(), e);
        }
        databases.add(name);
        return server().url(name);
    }

    /** The driver that {@link #jdbcUrl()} and {@link #open()} use: see {@link TestDriver}. */
    public TestDriver driver() {
        return kind.driver();
    }

    public DatabaseKind kind() {
        return kind;
    }

    /** Which server the tests run on, with its real version, and the driver they reach it with. */
    public String serverDescription() {
        return server().description();
    }

    /**
     * The URL of this class's database reached through {@link #proxy()}, so that a test can
     * simulate an outage on any server, external or embedded, without stopping it.
     */
    public String proxiedJdbcUrl() {
        return server().url(databaseName(), PROXY_HOST, proxy().port());
    }

    /** The proxy behind {@link #proxiedJdbcUrl()}: {@code proxy().cut()}, {@code proxy().restore()}. */
    public synchronized TcpProxy proxy() {
        if (proxy == null) {
            TcpProxy started = new TcpProxy(server().host(), server().port());
            try {
                started.start();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start a proxy to " + server().description(), e);
            }
            proxy = started;
        }
        return proxy;
    }

    private synchronized DatabaseServer server() {
        if (server == null) {
            server = SharedDatabaseServer.get(kind);
        }
        return server;
    }

    private synchronized boolean created() {
        return databaseName != null;
    }

    private synchronized void create(String prefix) {
        if (created()) {
            return;
        }
        String name = Databases.uniqueName("ugt_" + prefix);
        try {
            server().createDatabase(name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on " + server().description(), e);
        }
        databases.add(name);
        databaseName = name;
    }

    private synchronized void dropAll() throws SQLException {
        if (proxy != null) {
            proxy.close();
            proxy = null;
        }
        SQLException failure = null;
        for (String name : databases) {
            try {
                server.dropDatabase(name);
            } catch (SQLException e) {
                if (failure == null) {
                    failure = new SQLException("Could not drop test database(s) on " + server.description(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        databases.clear();
        databaseName = null;
        owner = null;
        if (failure != null) {
            throw failure;
        }
    }
}
