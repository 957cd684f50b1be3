package dev.upgradegate.bench;

import static dev.upgradegate.bench.Bench.connect;
import static dev.upgradegate.bench.Bench.count;
import static dev.upgradegate.bench.Bench.fmt0;
import static dev.upgradegate.bench.Bench.fmt2;
import static dev.upgradegate.bench.Bench.fmt3;
import static dev.upgradegate.bench.Bench.fresh;
import static dev.upgradegate.bench.Bench.log;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.upgradegate.migrations.FlywayEngine;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.migrations.UpgradeLock;
import dev.upgradegate.testsupport.EmbeddedMariaDb;

import org.flywaydb.core.Flyway;

/**
 * Benchmark 5 for Flyway: the same comparison as Bench's Liquibase upgrade, {@code migrations} generated SQL
 * migrations ({@link FlywayScripts}) on fresh databases, UpgradeGate's path (lock, FlywayEngine.update, unlock)
 * against plain {@code Flyway.configure(loader)…migrate()}, alternated over {@code rounds} rounds, after one
 * untimed run of each; one row.
 */
final class FlywayUpgradeBenchmark {

    /** The history table the gate gives FlywayEngine by default (Setting.FLYWAY_TABLE's default), Flyway's own. */
    private static final String FLYWAY_TABLE = "flyway_schema_history";

    private final EmbeddedMariaDb db;
    /** The harness's scratch folder, where the migrations are written. */
    private final Path work;
    private final Bench.Rows rows;
    private final int migrations;
    private final int rounds;

    FlywayUpgradeBenchmark(EmbeddedMariaDb db, Path work, Bench.Rows rows, int migrations, int rounds) {
        this.db = db;
        this.work = work;
        this.rows = rows;
        this.migrations = migrations;
        this.rounds = rounds;
    }

    void run() throws Exception {
        Path scripts = fresh(work.resolve("flyway-" + migrations));
        FlywayScripts.write(scripts.resolve("db/migration"), migrations);
        List<Double> gate = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> gateCpu = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        // The harness's class path as the parent, as a webapp's loader has the container's: plain Flyway loads
        // the JDBC driver named by the URL through this loader.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {scripts.toUri().toURL()},
                FlywayUpgradeBenchmark.class.getClassLoader())) {
            // Warm-up of both with the measured migrations, not counted (class loading, the JIT).
            log(String.format(Locale.ROOT, "Flyway warm-up: UpgradeGate %.2f s, Flyway %.2f s (not counted)",
                    timeGate("fw_warm_gate", loader).seconds(),
                    timePlain("fw_warm_plain", loader).seconds()));
            for (int round = 0; round < rounds; round++) {
                boolean gateFirst = round % 2 == 0;
                for (int leg = 0; leg < 2; leg++) {
                    boolean isGate = (leg == 0) == gateFirst;
                    String database = (isGate ? "fw_gate_" : "fw_plain_") + round;
                    Run run = isGate ? timeGate(database, loader) : timePlain(database, loader);
                    (isGate ? gate : plain).add(run.seconds());
                    (isGate ? gateCpu : plainCpu).add(run.cpuMillis());
                    log(String.format(Locale.ROOT, "Flyway round %d %s: %d migrations in %.2f s", round + 1,
                            isGate ? "UpgradeGate" : "Flyway", migrations, run.seconds()));
                }
                log(String.format(Locale.ROOT, "Flyway round %d ratio (UpgradeGate / Flyway, %s first): %.3f",
                        round + 1, gateFirst ? "UpgradeGate" : "Flyway", gate.get(round) / plain.get(round)));
            }
        }
        double ratio = Stats.pairedRatio(gate, plain);
        StringBuilder each = new StringBuilder();
        for (int i = 0; i < gate.size(); i++) {
            each.append(i == 0 ? "" : ", ").append(fmt3(gate.get(i) / plain.get(i)));
        }
        rows.add("5. Upgrade, Flyway: " + migrations + " SQL migrations on a fresh database",
                "seconds (UpgradeGate lock + FlywayEngine.update vs Flyway.migrate of flyway-core 9.22.3); "
                        + rounds + " round(s), per-round ratios " + each + "; the harness thread's CPU "
                        + fmt0(Stats.median(gateCpu)) + " vs " + fmt0(Stats.median(plainCpu)) + " ms",
                fmt2(Stats.median(gate)), fmt2(Stats.median(plain)), ratio, "≤ 1.05", ratio <= 1.05);
    }

    /**
     * What the install endpoint does for a Flyway webapp: the upgrade lock on its own connection (taking over the
     * engine's left lock if need be), then FlywayEngine.update on another, then the lock closed. The engine is
     * made inside the timed span, so its scan of the scripts is counted, as plain Flyway's is.
     */
    private Run timeGate(String database, ClassLoader scripts) throws Exception {
        db.createDatabase(database);
        long cpu = ThreadCpu.currentThreadNanos();
        long start = System.nanoTime();
        FlywayEngine engine = new FlywayEngine(List.of("db/migration"), scripts, FLYWAY_TABLE);
        Connection lockConnection = connect(db, database);
        UpgradeLock lock = UpgradeLock.tryAcquire(lockConnection, UpgradeLock.thisProcess(), engine.leftLock(), 120);
        if (lock == null) {
            lockConnection.close();
            throw new IllegalStateException("upgrade lock busy on " + database);
        }
        long locked = System.nanoTime();
        long updated;
        try (UpgradeLock held = lock; Connection connection = connect(db, database)) {
            engine.update(connection, new UpgradeListener() { });
            updated = System.nanoTime();
        }
        long end = System.nanoTime();
        Run run = new Run((end - start) / 1e9, (ThreadCpu.currentThreadNanos() - cpu) / 1e6);
        log(String.format(Locale.ROOT, "Flyway, UpgradeGate's path on %s: lock %.0f ms, update %.0f ms, unlock %.0f ms;"
                + " the harness thread's CPU %.0f ms", database, (locked - start) / 1e6, (updated - locked) / 1e6,
                (end - updated) / 1e6, run.cpuMillis()));
        verify(database);
        return run;
    }

    /** One Flyway run: its wall time, and the CPU time of the thread that ran it (Flyway works on the caller's). */
    private record Run(double seconds, double cpuMillis) {
    }

    /** Flyway run by hand, as an application would: its own data source, default settings. */
    private Run timePlain(String database, ClassLoader scripts) throws Exception {
        db.createDatabase(database);
        long cpu = ThreadCpu.currentThreadNanos();
        long start = System.nanoTime();
        Flyway.configure(scripts).dataSource(db.jdbcUrl(database), db.user(), db.password())
                .locations("classpath:db/migration").load().migrate();
        Run run = new Run((System.nanoTime() - start) / 1e9, (ThreadCpu.currentThreadNanos() - cpu) / 1e6);
        log(String.format(Locale.ROOT, "Flyway, plain on %s: the harness thread's CPU %.0f ms", database,
                run.cpuMillis()));
        verify(database);
        return run;
    }

    private void verify(String database) throws SQLException {
        try (Connection connection = connect(db, database); Statement s = connection.createStatement()) {
            long ran = count(s, "SELECT COUNT(*) FROM " + FLYWAY_TABLE + " WHERE success = 1 AND type = 'SQL'");
            if (ran != migrations) {
                throw new IllegalStateException(database + " ran " + ran + " migrations, not " + migrations);
            }
        }
    }
}
