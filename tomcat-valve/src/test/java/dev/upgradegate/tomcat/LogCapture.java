package dev.upgradegate.tomcat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Everything logged through java.util.logging while it is installed, as one line per record. */
final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new ArrayList<>();

    LogCapture() {
        Logger.getLogger("").addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        lines.add(record.getLevel() + " " + record.getLoggerName() + " " + record.getMessage() + " "
                + (record.getThrown() == null ? "" : record.getThrown()));
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    boolean any(String text) {
        return lines().stream().anyMatch(line -> line.contains(text));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
