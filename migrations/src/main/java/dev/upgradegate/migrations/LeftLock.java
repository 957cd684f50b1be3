package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A migration engine's own lock, as a killed run leaves it. UpgradeGate clears it only when it can tell
 * who left it: an upgrade of ours that was interrupted, or (on an administrator's request) a stale one.
 */
public interface LeftLock {

    /** For engines whose lock vanishes with its session (Flyway's named lock on MySQL): nothing is ever left. */
    LeftLock NONE = new LeftLock() {
        @Override
        public boolean releaseIfTakenSince(Connection connection, Instant since) {
            return false;
        }

        @Override
        public boolean releaseIfOlderThan(Connection connection, int seconds) {
            return false;
        }
    };

    /** Clears a lock granted since {@code since}: the interrupted upgrade that started then took it. */
    boolean releaseIfTakenSince(Connection connection, Instant since) throws SQLException;

    /** Clears a lock older than {@code seconds}. */
    boolean releaseIfOlderThan(Connection connection, int seconds) throws SQLException;
}
