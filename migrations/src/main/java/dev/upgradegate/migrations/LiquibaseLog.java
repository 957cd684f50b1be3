package dev.upgradegate.migrations;

import java.util.logging.Level;
import java.util.logging.Logger;

import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;

/**
 * Liquibase's own lines, at FINE under one logger, {@code dev.upgradegate.liquibase}, and those of INFO and above
 * in the running upgrade's own log ({@link EngineLog}): the container's log
 * gets UpgradeGate's line per state change and per upgrade, which carry Liquibase's errors; some twenty
 * lines of Liquibase's per upgrade, under its relocated class names, would drown them.
 */
final class LiquibaseLog extends AbstractLogService {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate.liquibase");

    private static final AbstractLogger LINES = new AbstractLogger() {
        @Override
        public void log(Level level, String message, Throwable e) {
            Level at = level.intValue() > Level.FINE.intValue() ? Level.FINE : Level.FINEST;
            if (at == Level.FINE) {
                EngineLog.heard(message);
            }
            if (LOG.isLoggable(at)) {
                LOG.log(at, message, e);
            }
        }
    };

    @Override
    public int getPriority() {
        return PRIORITY_SPECIALIZED;
    }

    @Override
    public liquibase.logging.Logger getLog(Class clazz) {
        return LINES;
    }
}
