package dev.upgradegate.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What MariaDB Connector/J logs while this is open. The driver logs through SLF4J where it finds it, else straight
 * to the console (a Tomcat's catalina.out); the poms' MariaDB test runs make it log through java.util.logging
 * instead ({@code mariadb.logging.slf4j.enable=false}, {@code mariadb.logging.fallback=JDK}) so that this hears it.
 */
public final class DriverLog extends Handler implements AutoCloseable {

    /** Held here: java.util.logging keeps loggers only weakly, and would drop the handler with it. */
    private static final Logger DRIVER = Logger.getLogger("org.mariadb.jdbc");

    private final List<String> lines = new ArrayList<>();

    public DriverLog() {
        DRIVER.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        lines.add(record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage());
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        DRIVER.removeHandler(this);
    }
}
