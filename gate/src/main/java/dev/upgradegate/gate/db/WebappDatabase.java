package dev.upgradegate.gate.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.webapp.Webapp;

/**
 * A webapp's database as the gate reaches it: the one place that opens its connections. Each runs with the
 * gate's class loader as the thread's context loader, since the driver may start threads (Connector/J's
 * cancellation timer) that inherit it: a webapp's loader there would be pinned after undeploy.
 */
public final class WebappDatabase {

    private final String webapp;
    private final ConnectionSource source;
    private final long timeoutMillis;

    private WebappDatabase(String webapp, ConnectionSource source, long timeoutMillis) {
        this.webapp = webapp;
        this.source = source;
        this.timeoutMillis = timeoutMillis;
    }

    /** The database the settings name, through JNDI or a JDBC URL; none when they name none, or are wrong. */
    public static WebappDatabase of(Webapp webapp, AppSettings settings, int timeoutSeconds) {
        long timeoutMillis = TimeUnit.SECONDS.toMillis(timeoutSeconds);
        ConnectionSource source = settings.problem() != null ? null
                : settings.datasource() != null ? new JndiConnectionSource(webapp, settings.datasource())
                : settings.jdbcUrl() != null
                ? new DriverConnectionSource(settings.jdbcUrl(), settings.jdbcUser(), settings.jdbcPassword(),
                        webapp.classLoader(), timeoutMillis)
                : null;
        return new WebappDatabase(webapp.name(), source, timeoutMillis);
    }

    /** Whether the settings name a database at all. */
    public boolean configured() {
        return source != null;
    }

    /** {@code db.timeoutSeconds}: the bound on each round trip of the gate's own work. */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Work on a connection of the webapp's database. */
    public interface ConnectionWork<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Runs {@code work} on a new connection, closed afterwards, each round trip bounded by
     * {@code db.timeoutSeconds}, as the state checks are.
     */
    public <T> T withConnection(ConnectionWork<T> work) throws Exception {
        return onConnection(timeoutMillis, work);
    }

    /** {@link #withConnection}, for work that may rightly take long, such as an upgrade or a backup: no bound of ours. */
    public <T> T withLongConnection(ConnectionWork<T> work) throws Exception {
        return onConnection(0, work);
    }

    /**
     * A new connection the caller closes, for what outlives one piece of work: an upgrade's lock is held on its
     * connection from the request that takes it to the background thread that releases it.
     */
    public Connection open() throws SQLException {
        ClassLoader previous = enter();
        try {
            return sourceOrFail().open();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private <T> T onConnection(long boundMillis, ConnectionWork<T> work) throws Exception {
        ConnectionSource opened = sourceOrFail();
        ClassLoader previous = enter();
        try (Connection connection = opened.open(); NetworkTimeout bounded = NetworkTimeout.set(connection, boundMillis)) {
            return work.run(connection);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private ConnectionSource sourceOrFail() throws SQLException {
        if (source == null) {
            throw new SQLException("no database configured for " + webapp);
        }
        return source;
    }

    private static ClassLoader enter() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(WebappDatabase.class.getClassLoader());
        return previous;
    }
}
