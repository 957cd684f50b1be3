package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.logging.Logger;

/**
 * Liquibase's own DATABASECHANGELOGLOCK, which a killed run leaves set forever. UpgradeGate clears it
 * only when it can tell who left it: an upgrade of ours that was interrupted, or (on an administrator's
 * explicit request) a lock older than the stale limit.
 */
final class LiquibaseLock implements LeftLock {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    /** Clock skew allowed between our lease's start and Liquibase's grant, both taken from the database. */
    private static final long SKEW_SECONDS = 2;

    /** Liquibase's own default table. */
    static final LiquibaseLock DEFAULT = new LiquibaseLock("DATABASECHANGELOGLOCK");

    private final String table;

    LiquibaseLock(String table) {
        this.table = table;
    }

    @Override
    public boolean releaseIfTakenSince(Connection connection, Instant since) throws SQLException {
        if (since == null) {
            return false;
        }
        return clear(connection, "LOCKGRANTED >= ?", Timestamp.from(since.minusSeconds(SKEW_SECONDS)));
    }

    @Override
    public boolean releaseIfOlderThan(Connection connection, int seconds) throws SQLException {
        return clear(connection, "LOCKGRANTED <= " + Dialect.of(connection).secondsAgo(), seconds);
    }

    private boolean clear(Connection connection, String condition, Object value) throws SQLException {
        if (!Sql.tableExists(connection, table)) {
            return false;
        }
        // TRUE and FALSE: a BIT(1) on MySQL, a BOOLEAN on PostgreSQL.
        String sql = "UPDATE " + table + " SET LOCKED = FALSE, LOCKGRANTED = NULL, LOCKEDBY = NULL"
                + " WHERE ID = 1 AND LOCKED = TRUE AND " + condition;
        try (PreparedStatement clear = connection.prepareStatement(sql)) {
            clear.setObject(1, value);
            boolean cleared = clear.executeUpdate() > 0;
            if (cleared) {
                LOG.warning("released the Liquibase lock (" + table + ") left by an interrupted upgrade");
            }
            return cleared;
        }
    }
}
