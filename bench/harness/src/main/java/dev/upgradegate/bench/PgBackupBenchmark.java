package dev.upgradegate.bench;

import static dev.upgradegate.bench.Bench.fmt0;
import static dev.upgradegate.bench.Bench.fresh;
import static dev.upgradegate.bench.Bench.log;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import dev.upgradegate.migrations.backup.PgDump;
import dev.upgradegate.migrations.backup.PgTarget;
import dev.upgradegate.migrations.backup.SchemaDump;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Benchmark 5c, the wizard's backup on PostgreSQL (issue 15): pg_dump run by {@link PgDump}, its output counted and
 * gzipped by the JDK into a file as the wizard's Backups does, against the shell's {@code pg_dump -Fp | gzip > file}
 * with the same pg_dump, on a table of {@code rowCount} rows in an embedded PostgreSQL; alternated over
 * {@code rounds} rounds after one untimed run of each; one row.
 */
final class PgBackupBenchmark {

    private static final String DATABASE = "backup_src";
    /** The buffer the wizard's Backups gives its GZIPOutputStream. */
    private static final int GZIP_BUFFER = 64 * 1024;

    private final Path work;
    private final Bench.Rows rows;
    private final int rowCount;
    private final int rounds;

    PgBackupBenchmark(Path work, Bench.Rows rows, int rowCount, int rounds) {
        this.work = work;
        this.rows = rows;
        this.rowCount = rowCount;
        this.rounds = rounds;
    }

    void run() throws Exception {
        Path pgDump = PgDump.locate(PgDump.DEFAULT_BINARY);
        if (pgDump == null) {
            throw new IllegalStateException("pg_dump is not on PATH (apt-get install postgresql-client)");
        }
        // zonky's server as the tests' fixture starts it, but held here: the fixture is compiled with tests only.
        Path data = Files.createTempDirectory("upgradegate-bench-postgresql-");
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", Server.HOST).start()) {
            measure(pgDump, new Server(postgres.getPort()));
        }
    }

    /** The embedded server: trust authentication for postgres on loopback, so any password does. */
    private static final class Server {
        static final String HOST = "127.0.0.1";
        private final int port;

        Server(int port) {
            this.port = port;
        }

        String host() {
            return HOST;
        }

        int port() {
            return port;
        }

        String user() {
            return "postgres";
        }

        String password() {
            return "";
        }

        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
        }
    }

    private void measure(Path pgDump, Server server) throws Exception {
        log("PostgreSQL on port " + server.port() + ", " + pgDump);
        try (Connection admin = DriverManager.getConnection(server.jdbcUrl("postgres"), server.user(), server.password());
             Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE);
        }
        String url = server.jdbcUrl(DATABASE);
        try (Connection connection = DriverManager.getConnection(url, server.user(), server.password());
             Statement s = connection.createStatement()) {
            // The MariaDB backup benchmark's table, in PostgreSQL's words.
            s.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, sku VARCHAR(32) NOT NULL, name VARCHAR(100) NOT NULL,"
                    + " price NUMERIC(10,2) NOT NULL, stock INT NOT NULL, created TIMESTAMP NOT NULL, note TEXT NULL)");
            s.execute("INSERT INTO item SELECT g, 'SKU-' || g, 'Product number ' || g || ' of the shop',"
                    + " (g % 10000) / 100.0, g % 1000, TIMESTAMP '2024-01-01 00:00:00' + g * INTERVAL '1 second',"
                    + " CASE WHEN g % 3 = 0 THEN NULL ELSE 'It''s \"item\" ' || g || E' \\u2014 \u00fcn\u00efcode' END"
                    + " FROM generate_series(1, " + rowCount + ") AS g");
            s.execute("VACUUM ANALYZE item");
        }
        Path outDir = fresh(work.resolve("pg-backup"));
        List<Double> ours = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        long[] bytes = new long[2];
        log(String.format(Locale.ROOT, "PostgreSQL backup warm-up: UpgradeGate %.2f s, pg_dump | gzip %.2f s"
                        + " (not counted)", timeOurs(url, server, outDir.resolve("warm.sql.gz")),
                timePlain(pgDump, server, outDir.resolve("warm-plain.sql.gz"))));
        for (int round = 0; round < rounds; round++) {
            boolean oursFirst = round % 2 == 0;
            for (int leg = 0; leg < 2; leg++) {
                boolean isOurs = (leg == 0) == oursFirst;
                Path file = outDir.resolve(isOurs ? "upgradegate.sql.gz" : "pg_dump.sql.gz");
                double seconds = isOurs ? timeOurs(url, server, file) : timePlain(pgDump, server, file);
                (isOurs ? ours : plain).add(seconds);
                bytes[isOurs ? 0 : 1] = Files.size(file);
                log(String.format(Locale.ROOT, "PostgreSQL backup round %d %s: %d rows in %.2f s, %d bytes", round + 1,
                        isOurs ? "UpgradeGate" : "pg_dump | gzip", rowCount, seconds, Files.size(file)));
            }
        }
        // Speed ratio: our rows/s over pg_dump | gzip's = its time / ours.
        double ratio = Stats.pairedRatio(plain, ours);
        rows.add("5c. Backup on PostgreSQL: " + String.format(Locale.ROOT, "%,d", rowCount) + "-row table, gzipped to"
                        + " a local file (UpgradeGate " + bytes[0] / 1024 + " KiB, pg_dump | gzip " + bytes[1] / 1024
                        + " KiB)", "rows/s (speed ratio = pg_dump | gzip time / UpgradeGate time)",
                fmt0(rowCount / Stats.median(ours)), fmt0(rowCount / Stats.median(plain)), ratio, "recorded", null);
        fresh(outDir);
    }

    /** The wizard's way: PgDump's output through the JDK's gzip into a new file. */
    private static double timeOurs(String url, Server server, Path file) throws Exception {
        long start = System.nanoTime();
        SchemaDump.Summary summary;
        try (Connection connection = DriverManager.getConnection(url, server.user(), server.password());
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), GZIP_BUFFER)) {
            summary = PgDump.write(PgDump.DEFAULT_BINARY, PgTarget.of(connection), server.password(), out);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (summary.totalRows() == 0) {
            throw new IllegalStateException("UpgradeGate's backup counted no rows: " + summary.rowCounts());
        }
        return seconds;
    }

    /** An administrator's way: the shell's pipe from pg_dump to gzip, at gzip's default level as the JDK's. */
    private static double timePlain(Path pgDump, Server server, Path file) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("bash", "-c", "set -o pipefail; \"$0\" -Fp -w -h \"$1\" -p \"$2\""
                + " -U \"$3\" \"$4\" | gzip > \"$5\"", pgDump.toString(), server.host(), String.valueOf(server.port()),
                server.user(), DATABASE, file.toString()).redirectErrorStream(true).start();
        String said = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(600, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("pg_dump | gzip failed: " + said);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
