package dev.upgradegate.bench;

import static dev.upgradegate.bench.Bench.CHANGELOG;
import static dev.upgradegate.bench.Bench.connect;
import static dev.upgradegate.bench.Bench.fmt0;
import static dev.upgradegate.bench.Bench.fmt2;
import static dev.upgradegate.bench.Bench.fresh;
import static dev.upgradegate.bench.Bench.log;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.upgradegate.gate.db.MaintenanceTable;
import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.StateProbe;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.migrations.LeftLock;
import dev.upgradegate.migrations.UpgradeLock;
import dev.upgradegate.testsupport.EmbeddedMariaDb;

/**
 * Benchmark 7, what a large changelog costs the gate: the parse at deploy (the first {@code LiquibaseEngine.inspect}
 * of a fresh engine against a later one, on an empty and on an installed database); in steady state (the
 * history unchanged) the engine's {@code inspect} and the gate's whole background refresh (StateProbe, then
 * {@code inspect(connection, fingerprint)}), beside the fingerprint statement alone, the same figures in one
 * scan and a trivial round trip; and an {@code inspect} after the history changed (a row deleted: the
 * fingerprint, then the history read again and judged). Statements are counted at the database, on the
 * inspecting session ({@code SHOW SESSION STATUS}).
 */
final class RefreshBenchmark {

    /** The webapp name the gate's probe asks the maintenance table for. */
    private static final String WEBAPP = "shop";

    private final EmbeddedMariaDb db;
    /** The harness's scratch folder, where the changelog is written. */
    private final Path work;
    private final Bench.Rows rows;
    private final Bench.Refresh size;
    /** Whether the maintenance table exists; made as turning maintenance on and off again leaves it. */
    private boolean maintenancePresent;

    RefreshBenchmark(EmbeddedMariaDb db, Path work, Bench.Rows rows, Bench.Refresh size) {
        this.db = db;
        this.work = work;
        this.rows = rows;
        this.size = size;
    }

    void run() throws Exception {
        int n = size.changesets();
        Path root = fresh(work.resolve("changelog-included-" + n));
        Changelog.writeIncluded(root, CHANGELOG, size.files(), size.perFile());
        String name = String.format(Locale.ROOT, "7. Refresh: %,d-changeset Liquibase changelog (%d included files"
                + " of %d, untagged), `LiquibaseEngine.inspect`", n, size.files(), size.perFile());
        db.createDatabase("refresh_empty");
        db.createDatabase("refresh_installed");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            try (Connection connection = connect(db, "refresh_installed")) {
                long start = System.nanoTime();
                new LiquibaseEngine(CHANGELOG, loader).update(connection, new UpgradeListener() { });
                log(String.format(Locale.ROOT, "refresh: installed %d changesets in %.1f s (not counted)", n,
                        (System.nanoTime() - start) / 1e9));
            }
            try (Connection empty = connect(db, "refresh_empty");
                 Connection installed = connect(db, "refresh_installed")) {
                parse(name, loader, empty, installed);
            }
            try (Connection inspecting = connect(db, "refresh_installed");
                 Connection admin = connect(db, "refresh_installed")) {
                steadyAndChanged(name, loader, inspecting, admin);
            }
        }
    }

    /**
     * The first inspect of a fresh engine (which parses the changelog) and the median of later ones, in ms of wall
     * time, and the same in ms of the calling thread's CPU time, which descheduling on a busy machine cannot inflate.
     */
    private record FirstInspect(double first, double later, double firstCpu, double laterCpu) {
    }

    private static FirstInspect firstInspect(ClassLoader loader, Connection connection, SchemaState.Kind expected,
            int pending) throws Exception {
        LiquibaseEngine engine = new LiquibaseEngine(CHANGELOG, loader);
        long cpu = ThreadCpu.currentThreadNanos();
        long start = System.nanoTime();
        SchemaState state = engine.inspect(connection);
        double first = (System.nanoTime() - start) / 1e6;
        double firstCpu = (ThreadCpu.currentThreadNanos() - cpu) / 1e6;
        List<Double> later = new ArrayList<>();
        List<Double> laterCpu = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            cpu = ThreadCpu.currentThreadNanos();
            long t = System.nanoTime();
            state = engine.inspect(connection);
            later.add((System.nanoTime() - t) / 1e6);
            laterCpu.add((ThreadCpu.currentThreadNanos() - cpu) / 1e6);
        }
        expect(state, expected, pending);
        return new FirstInspect(first, Stats.median(later), firstCpu, Stats.median(laterCpu));
    }

    private void parse(String name, ClassLoader loader, Connection empty, Connection installed) throws Exception {
        int n = size.changesets();
        List<Double> firstEmpty = new ArrayList<>();
        List<Double> laterEmpty = new ArrayList<>();
        List<Double> firstInstalled = new ArrayList<>();
        List<Double> laterInstalled = new ArrayList<>();
        List<Double> parse = new ArrayList<>();
        List<Double> parseCpu = new ArrayList<>();
        // One engine of each, not counted: the JIT and the class loading of the parse path.
        FirstInspect warmEmpty = firstInspect(loader, empty, SchemaState.Kind.NOT_INSTALLED, n);
        FirstInspect warmInstalled = firstInspect(loader, installed, SchemaState.Kind.CURRENT, 0);
        log(String.format(Locale.ROOT, "refresh: warm-up engines (not counted): first inspect %.1f ms empty, %.1f ms"
                + " installed", warmEmpty.first(), warmInstalled.first()));
        for (int i = 0; i < size.engines(); i++) {
            boolean emptyFirst = i % 2 == 0;
            for (int leg = 0; leg < 2; leg++) {
                boolean isEmpty = (leg == 0) == emptyFirst;
                FirstInspect measured = isEmpty ? firstInspect(loader, empty, SchemaState.Kind.NOT_INSTALLED, n)
                        : firstInspect(loader, installed, SchemaState.Kind.CURRENT, 0);
                (isEmpty ? firstEmpty : firstInstalled).add(measured.first());
                (isEmpty ? laterEmpty : laterInstalled).add(measured.later());
                if (isEmpty) {
                    parse.add(measured.first() - measured.later());
                    parseCpu.add(measured.firstCpu() - measured.laterCpu());
                }
                log(String.format(Locale.ROOT, "refresh: engine %d, %s database: first inspect %.1f ms (thread CPU"
                        + " %.1f ms), later %.3f ms (%.3f ms)", i + 1, isEmpty ? "empty" : "installed",
                        measured.first(), measured.firstCpu(), measured.later(), measured.laterCpu()));
            }
        }
        StringBuilder each = new StringBuilder();
        for (double ms : parse) {
            each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", ms));
        }
        rows.add(name, "parse at deploy (ms): first inspect of a fresh engine on an empty database − a later inspect;"
                + " median of " + size.engines() + " fresh engine(s): " + each + "; the calling thread's CPU time: "
                + fmt0(Stats.median(parseCpu)) + " ms", fmt0(Stats.median(parse)), "", Double.NaN, "informational",
                null);
        rows.add(name, "first inspect, empty database (parses the changelog) vs a later inspect (ms)",
                fmt2(Stats.median(firstEmpty)), fmt2(Stats.median(laterEmpty)), Stats.pairedRatio(firstEmpty,
                        laterEmpty), "informational", null);
        rows.add(name, String.format(Locale.ROOT, "first inspect, installed database (parses, reads and judges %,d"
                + " history rows) vs a later inspect (the fingerprint only) (ms)", n),
                fmt2(Stats.median(firstInstalled)), fmt2(Stats.median(laterInstalled)),
                Stats.pairedRatio(firstInstalled, laterInstalled), "informational", null);
    }

    /** A session's statement counters: Questions and Com_select. */
    private static long[] counters(Statement s) throws SQLException {
        long[] values = new long[2];
        try (ResultSet r = s.executeQuery(
                "SHOW SESSION STATUS WHERE Variable_name IN ('Questions', 'Com_select')")) {
            while (r.next()) {
                values[r.getString(1).equalsIgnoreCase("Questions") ? 0 : 1] = r.getLong(2);
            }
        }
        return values;
    }

    /** One call of a steady-state measurement. */
    private interface Call {
        void run() throws Exception;
    }

    /**
     * What is timed side by side in steady state, {@code size.steady()} calls each per round: the engine's own
     * inspect; the gate's refresh as WebappGate.check does it, with the maintenance table and without it; the
     * engine's fingerprint statement alone (one scan of the history); a trivial round trip.
     */
    private enum Part {
        INSPECT, GATE_PRESENT, GATE_ABSENT, FINGERPRINT, SELECT_1
    }

    private void steadyAndChanged(String name, ClassLoader loader, Connection inspecting, Connection admin)
            throws Exception {
        int n = size.changesets();
        LiquibaseEngine engine = new LiquibaseEngine(CHANGELOG, loader);
        expect(engine.inspect(inspecting), SchemaState.Kind.CURRENT, 0);
        // An install through the gate leaves the upgrade lease's table behind: so does this one.
        UpgradeLock lease = UpgradeLock.tryAcquire(connect(db, "refresh_installed"), UpgradeLock.thisProcess(), LeftLock.NONE, 60);
        if (lease == null) {
            throw new IllegalStateException("upgrade lock busy on refresh_installed");
        }
        lease.close();
        // As WebappGate builds its probe; one per variant, as each remembers which tables exist.
        StateProbe withTable = new StateProbe(engine.history(), MaintenanceTable.TABLE, MaintenanceTable.KEY,
                MaintenanceTable.COLUMNS, 60);
        StateProbe withoutTable = new StateProbe(engine.history(), MaintenanceTable.TABLE, MaintenanceTable.KEY,
                MaintenanceTable.COLUMNS, 60);
        // The row a changed history lacks: one in the middle, kept aside to be put back after each measurement.
        try (Statement a = admin.createStatement()) {
            a.execute("DROP TABLE IF EXISTS refresh_saved");
            a.execute("CREATE TABLE refresh_saved AS SELECT * FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED LIMIT 1"
                    + " OFFSET " + n / 2);
        }
        String savedKey = "(ID, AUTHOR, FILENAME) IN (SELECT ID, AUTHOR, FILENAME FROM refresh_saved)";
        Map<Part, List<Double>> micros = new java.util.EnumMap<>(Part.class);
        Map<Part, long[]> counted = new java.util.EnumMap<>(Part.class);
        for (Part part : Part.values()) {
            micros.put(part, new ArrayList<>());
            counted.put(part, new long[2]);
        }
        List<Double> changedMicros = new ArrayList<>();
        long[] changedCount = new long[2];
        long changedInspects = 0;
        try (Statement s = inspecting.createStatement(); Statement a = admin.createStatement()) {
            // What reading the counters itself adds between two readings, taken off every difference below.
            long[] c0 = counters(s);
            long[] c1 = counters(s);
            long[] overhead = {c1[0] - c0[0], c1[1] - c0[1]};
            log("refresh: SHOW SESSION STATUS adds Questions +" + overhead[0] + ", Com_select +" + overhead[1]);
            maintenanceTable(admin, true);
            String fingerprint = logStatementTexts(engine, withTable, inspecting, a, savedKey);
            log("refresh: EXPLAIN " + fingerprint + ":\n" + explain(s, fingerprint));
            Map<Part, Call> calls = new java.util.EnumMap<>(Part.class);
            calls.put(Part.INSPECT, () -> expect(engine.inspect(inspecting), SchemaState.Kind.CURRENT, 0));
            calls.put(Part.GATE_PRESENT, () -> refreshLikeTheGate(withTable, engine, inspecting));
            calls.put(Part.GATE_ABSENT, () -> refreshLikeTheGate(withoutTable, engine, inspecting));
            calls.put(Part.FINGERPRINT, () -> engine.history().fingerprint(inspecting));
            calls.put(Part.SELECT_1, () -> timeStatement(inspecting, "SELECT 1"));
            // Warm-up of every part (the JIT, the probes' look at which tables exist), not counted.
            for (Part part : Part.values()) {
                maintenanceTable(admin, part != Part.GATE_ABSENT);
                for (int i = 0; i < size.steady(); i++) {
                    calls.get(part).run();
                }
            }
            for (int round = 0; round < size.rounds(); round++) {
                // Every part back to back, the order rotating from round to round.
                StringBuilder line = new StringBuilder();
                for (int p = 0; p < Part.values().length; p++) {
                    Part part = Part.values()[(round + p) % Part.values().length];
                    maintenanceTable(admin, part != Part.GATE_ABSENT);
                    Call call = calls.get(part);
                    long[] before = counters(s);
                    long start = System.nanoTime();
                    for (int i = 0; i < size.steady(); i++) {
                        call.run();
                    }
                    double each = (System.nanoTime() - start) / 1e3 / size.steady();
                    long[] after = counters(s);
                    micros.get(part).add(each);
                    for (int c = 0; c < 2; c++) {
                        counted.get(part)[c] += after[c] - before[c] - overhead[c];
                    }
                    line.append(String.format(Locale.ROOT, " %s %.1f µs,", part, each));
                }
                maintenanceTable(admin, true);
                List<Double> changed = new ArrayList<>();
                for (int j = 0; j < size.changed(); j++) {
                    if (a.executeUpdate("DELETE FROM DATABASECHANGELOG WHERE " + savedKey) != 1) {
                        throw new IllegalStateException("the saved history row is not there");
                    }
                    long[] before = counters(s);
                    long start = System.nanoTime();
                    SchemaState state = engine.inspect(inspecting);
                    double each = (System.nanoTime() - start) / 1e3;
                    long[] after = counters(s);
                    expect(state, SchemaState.Kind.BEHIND, 1);
                    changed.add(each);
                    changedInspects++;
                    for (int c = 0; c < 2; c++) {
                        changedCount[c] += after[c] - before[c] - overhead[c];
                    }
                    a.executeUpdate("INSERT INTO DATABASECHANGELOG SELECT * FROM refresh_saved");
                    expect(engine.inspect(inspecting), SchemaState.Kind.CURRENT, 0);
                }
                changedMicros.addAll(changed);
                log(String.format(Locale.ROOT, "refresh round %d (per call, %d calls each):%s after a change %.1f µs"
                        + " (median of %d)", round + 1, size.steady(), line, Stats.median(changed), changed.size()));
            }
        }
        long calls = (long) size.steady() * size.rounds();
        double steady = (double) counted.get(Part.INSPECT)[0] / calls;
        double changed = (double) changedCount[0] / changedInspects;
        rows.add(name, String.format(Locale.ROOT, "statements per `inspect(connection)` at the database (the"
                + " session's Questions; Com_select %.2f vs %.2f): steady (installed, nothing changed; %,d inspects)"
                + " vs after the history changed (one row deleted; %d inspects)",
                (double) counted.get(Part.INSPECT)[1] / calls, (double) changedCount[1] / changedInspects, calls,
                changedInspects),
                fmt2(steady), fmt2(changed), Double.NaN, "≤ 1 per steady inspect", steady <= 1.0);
        rows.add(name, String.format(Locale.ROOT, "µs per `inspect(connection)`: steady (median of %d batch(es) of"
                + " %,d) vs after the history changed (the fingerprint, then %,d rows read and judged; median of %d)",
                size.rounds(), size.steady(), n, changedMicros.size()), fmt2(Stats.median(micros.get(Part.INSPECT))),
                fmt2(Stats.median(changedMicros)), Stats.median(micros.get(Part.INSPECT)) / Stats.median(changedMicros),
                "informational", null);
        double present = (double) counted.get(Part.GATE_PRESENT)[0] / calls;
        double absent = (double) counted.get(Part.GATE_ABSENT)[0] / calls;
        rows.add(name, "the gate's steady refresh as `WebappGate.check` makes it (`StateProbe.read`: lease,"
                + " fingerprint and maintenance row in one SELECT; then `inspect(connection, fingerprint)`): statements"
                + " per refresh at the database, `UPGRADEGATE_MAINTENANCE` present vs absent (maintenance never"
                + " turned on: the SELECT then also asks information_schema whether it appeared)", fmt2(present),
                fmt2(absent),
                Double.NaN, "≤ 1 per refresh", present <= 1.0 && absent <= 1.0);
        rows.add(name, "the gate's steady refresh: µs per refresh, `UPGRADEGATE_MAINTENANCE` present vs absent;"
                + " per-round ratios " + Stats.ratioRange(micros.get(Part.GATE_PRESENT),
                        micros.get(Part.GATE_ABSENT)),
                fmt2(Stats.median(micros.get(Part.GATE_PRESENT))), fmt2(Stats.median(micros.get(Part.GATE_ABSENT))),
                Stats.pairedRatio(micros.get(Part.GATE_PRESENT), micros.get(Part.GATE_ABSENT)), "informational", null);
        rows.add(name, String.format(Locale.ROOT, "µs of the history's fingerprint statement alone (one scan of the"
                + " %,d rows: the table has no index) vs `SELECT 1` on the same connection; per-round ratios %s", n,
                Stats.ratioRange(micros.get(Part.FINGERPRINT), micros.get(Part.SELECT_1))),
                fmt2(Stats.median(micros.get(Part.FINGERPRINT))), fmt2(Stats.median(micros.get(Part.SELECT_1))),
                Stats.pairedRatio(micros.get(Part.FINGERPRINT), micros.get(Part.SELECT_1)), "informational", null);
    }

    /** What WebappGate.check asks the database in steady state: the probe, then the engine with its fingerprint. */
    private static void refreshLikeTheGate(StateProbe probe, LiquibaseEngine engine, Connection connection)
            throws Exception {
        StateProbe.Result probed = probe.read(connection, WEBAPP);
        if (probed.lock().held()) {
            throw new IllegalStateException("the upgrade lease is held: " + probed.lock());
        }
        expect(engine.inspect(connection, probed.fingerprint()), SchemaState.Kind.CURRENT, 0);
        if (MaintenanceTable.from(probed.row()) != null) {
            throw new IllegalStateException("maintenance is on");
        }
    }

    private void maintenanceTable(Connection admin, boolean present) throws SQLException {
        if (present == maintenancePresent) {
            return;
        }
        if (present) {
            MaintenanceTable.turnOn(admin, WEBAPP, "bench", 0, null, "bench");
            MaintenanceTable.clear(admin, WEBAPP);
        } else {
            try (Statement s = admin.createStatement()) {
                s.execute("DROP TABLE IF EXISTS " + MaintenanceTable.TABLE);
            }
        }
        maintenancePresent = present;
    }

    private static String explain(Statement s, String sql) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (ResultSet explain = s.executeQuery("EXPLAIN " + sql)) {
            while (explain.next()) {
                text.append("   ");
                for (int c = 1; c <= explain.getMetaData().getColumnCount(); c++) {
                    text.append(' ').append(explain.getMetaData().getColumnLabel(c)).append('=')
                            .append(explain.getString(c));
                }
                text.append('\n');
            }
        }
        return text.toString();
    }

    /** One statement on a statement of its own, the first row read: as HistoryTable reads its fingerprint. */
    private static void timeStatement(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            row.getString(1);
        }
    }

    /**
     * Logs the statements of a few steady inspects, a gate refresh and one inspect after a change, from the general
     * log, and returns the first: the engine's fingerprint statement.
     */
    private String logStatementTexts(LiquibaseEngine engine, StateProbe probe, Connection inspecting, Statement admin,
            String savedKey) throws Exception {
        long session;
        try (Statement s = inspecting.createStatement(); ResultSet r = s.executeQuery("SELECT CONNECTION_ID()")) {
            r.next();
            session = r.getLong(1);
        }
        admin.execute("SET GLOBAL log_output = 'TABLE'");
        admin.execute("TRUNCATE TABLE mysql.general_log");
        admin.execute("SET GLOBAL general_log = 'ON'");
        for (int i = 0; i < 2; i++) {
            engine.inspect(inspecting);
        }
        refreshLikeTheGate(probe, engine, inspecting);
        admin.executeUpdate("DELETE FROM DATABASECHANGELOG WHERE " + savedKey);
        engine.inspect(inspecting);
        admin.executeUpdate("INSERT INTO DATABASECHANGELOG SELECT * FROM refresh_saved");
        admin.execute("SET GLOBAL general_log = 'OFF'");
        StringBuilder text = new StringBuilder();
        String first = null;
        try (ResultSet r = admin.executeQuery("SELECT command_type, CAST(argument AS CHAR(4000)) FROM mysql.general_log"
                + " WHERE thread_id = " + session + " ORDER BY event_time")) {
            while (r.next()) {
                String statement = r.getString(2).replaceAll("\\s+", " ");
                first = first == null && r.getString(1).equals("Query") ? statement : first;
                text.append(String.format("    %-8s %s%n", r.getString(1), statement));
            }
        }
        admin.execute("TRUNCATE TABLE mysql.general_log");
        expect(engine.inspect(inspecting), SchemaState.Kind.CURRENT, 0);
        log("refresh: the inspecting session's statements in the general log: 2 steady inspects, a gate refresh"
                + " (maintenance table present), then one inspect after a row was deleted:\n" + text);
        if (first == null) {
            throw new IllegalStateException("the general log shows no statement of the inspecting session");
        }
        return first;
    }

    private static void expect(SchemaState state, SchemaState.Kind kind, int pending) {
        if (state.kind() != kind || state.pending().size() != pending) {
            throw new IllegalStateException("inspect says " + state.kind() + " with " + state.pending().size()
                    + " pending, not " + kind + " with " + pending);
        }
    }
}
