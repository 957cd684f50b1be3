package dev.upgradegate.gate.install;

import java.nio.file.Path;
import java.util.Map;

/** A backup the wizard made: where it is, how big, what it holds, how to restore it. Immutable. */
final class Backup {

    final Path file;
    final long bytes;
    final Map<String, Long> rowCounts;
    final String restoreCommand;
    final long millis;

    Backup(Path file, long bytes, Map<String, Long> rowCounts, String restoreCommand, long millis) {
        this.file = file;
        this.bytes = bytes;
        this.rowCounts = rowCounts;
        this.restoreCommand = restoreCommand;
        this.millis = millis;
    }
}
