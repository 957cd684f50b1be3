package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Removes the record of a failed migration (Flyway's {@code success = 0} row, which blocks it on MySQL) once
 * the administrator has named it, so that a fixed bundle runs it again. Nothing else in the history changes,
 * and it runs under the upgrade lease, so it never races an upgrade on any node.
 */
public final class HistoryRepair {

    /** What became of a request to repair the history. */
    public enum Result { REPAIRED, NOTHING_TO_REPAIR, NOT_CONFIRMED, BUSY }

    private HistoryRepair() {
    }

    /**
     * @param lease a connection for the upgrade lease, closed here
     * @param connection the connection that repairs; the caller closes it
     * @param confirmed the failed script, as the administrator named it; anything else repairs nothing
     * @param staleSeconds see {@link UpgradeLock#tryAcquire}
     */
    public static Result repair(Connection lease, Connection connection, MigrationEngine engine, String confirmed,
                                int staleSeconds) throws SQLException, MigrationException {
        UpgradeLock lock = UpgradeLock.tryAcquire(lease, UpgradeLock.thisProcess(), engine.leftLock(), staleSeconds);
        if (lock == null) {
            lease.close();
            return Result.BUSY;
        }
        try (UpgradeLock held = lock) {
            PendingChangeset failed = engine.inspect(connection).failed();
            if (failed == null) {
                return Result.NOTHING_TO_REPAIR;
            }
            if (!failed.file().equals(confirmed)) {
                return Result.NOT_CONFIRMED;
            }
            return engine.repair(connection).isEmpty() ? Result.NOTHING_TO_REPAIR : Result.REPAIRED;
        }
    }
}
