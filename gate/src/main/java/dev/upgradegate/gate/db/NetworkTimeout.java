package dev.upgradegate.gate.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Bounds every round trip on a connection ({@link Connection#setNetworkTimeout}) while it is ours, and puts
 * back what it was on close: a pooled connection goes back to the webapp, whose own queries must keep
 * the pool's setting. Where a pool or driver cannot do this, the check's own overrun bound still holds.
 */
public final class NetworkTimeout implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    /** Synchronous: Connector/J applies the timeout through the executor, and must have done so before we query. */
    private static final Executor NOW = Runnable::run;

    private final Connection connection;
    private final int previous;
    private final boolean changed;

    private NetworkTimeout(Connection connection, int previous, boolean changed) {
        this.connection = connection;
        this.previous = previous;
        this.changed = changed;
    }

    /** @param millis the bound, or 0 for none (long work on a connection opened with one) */
    public static NetworkTimeout set(Connection connection, long millis) throws SQLException {
        int wanted = (int) Math.min(Integer.MAX_VALUE, millis);
        try {
            int previous = connection.getNetworkTimeout();
            if (previous == wanted) {
                return new NetworkTimeout(connection, previous, false);
            }
            connection.setNetworkTimeout(NOW, wanted);
            return new NetworkTimeout(connection, previous, true);
        } catch (SQLFeatureNotSupportedException | AbstractMethodError | UnsupportedOperationException e) {
            LOG.log(Level.FINE, "the connection cannot bound its network timeout", e);
            return new NetworkTimeout(connection, 0, false);
        }
    }

    @Override
    public void close() throws SQLException {
        if (changed && !connection.isClosed()) {
            connection.setNetworkTimeout(NOW, previous);
        }
    }
}
