package dev.upgradegate.migrations;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;

/**
 * Flyway's own lines, at FINE under one logger, {@code dev.upgradegate.flyway}, and those of INFO and above in the
 * running upgrade's own log ({@link EngineLog}): the container's log gets
 * UpgradeGate's line per state change and per upgrade, which carry Flyway's errors; Flyway's banner, its
 * per-command chatter and its version warnings (repeated at every look) would drown them. Flyway makes it
 * by name, from its {@code loggers} setting; hence public.
 */
public final class FlywayLog implements LogCreator {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate.flyway");

    private static final Log LINES = new Log() {
        @Override
        public boolean isDebugEnabled() {
            return LOG.isLoggable(Level.FINEST);
        }

        @Override
        public void debug(String message) {
            LOG.finest(message);
        }

        @Override
        public void info(String message) {
            LOG.fine(message);
            EngineLog.heard(message);
        }

        @Override
        public void warn(String message) {
            LOG.fine(message);
            EngineLog.heard(message);
        }

        @Override
        public void error(String message) {
            LOG.fine(message);
            EngineLog.heard(message);
        }

        @Override
        public void error(String message, Exception e) {
            LOG.log(Level.FINE, message, e);
            EngineLog.heard(message);
        }

        @Override
        public void notice(String message) {
            LOG.fine(message);
            EngineLog.heard(message);
        }
    };

    @Override
    public Log createLogger(Class<?> type) {
        return LINES;
    }
}
