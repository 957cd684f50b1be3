package dev.upgradegate.gate.install;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import dev.upgradegate.gate.upgrade.UpgradeProgress;

/** Times, durations and sizes as the wizard's pages say them. */
final class Formats {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());

    private Formats() {
    }

    static String when(long epochMillis) {
        return WHEN.format(Instant.ofEpochMilli(epochMillis));
    }

    static String orNone(String version) {
        return version == null ? "none" : version;
    }

    static String elapsed(UpgradeProgress run) {
        long end = run.running() ? System.currentTimeMillis() : run.finishedMillis();
        return duration(end - run.startedMillis());
    }

    static String duration(long millis) {
        long seconds = Math.max(0, millis / 1000);
        return seconds == 0 ? "under a second" : seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
