package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static dev.upgradegate.tomcat.DatabaseChecks.*;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TomcatProcess;

/**
 * The reliability guarantees that need whole Tomcat processes: two nodes racing to start one upgrade, a node
 * killed with SIGKILL in the middle of a long upgrade, and a failing changeset fixed by a redeploy. Every
 * node is the real Tomcat 11 distribution with the shaded valve jar in lib/ ({@link TomcatProcess}); the
 * webapps are bundles written on the fly ({@link TestBundle}); the database is the real server. The race and
 * the kills of a Liquibase upgrade run on MySQL/MariaDB and on PostgreSQL alike.
 *
 * <p>Each node's output is kept under target/it-reliability/.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ITUpgradeReliability {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();
    @RegisterExtension
    static final TestDatabase PG = new TestDatabase(DatabaseKind.POSTGRESQL);

    static final String TOKEN = "it-reliability-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    static final int REFRESH_SECONDS = 1;

    @TempDir
    Path temp;

    final List<TomcatProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (TomcatProcess node : nodes) {
            try {
                node.stop(Duration.ofSeconds(30));
            } finally {
                node.keepFiles(keep().resolve(node.base().getFileName()));
            }
        }
    }

    // ----- 3: concurrent starts across two nodes -----

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void fiftyConcurrentStartsOnTwoNodesRunExactlyOneUpgrade(DatabaseKind kind) throws Exception {
        TestDatabase db = database(kind);
        String url = db.createDatabase("twonodes");
        // The upgrade waits on a named lock the test holds, so both nodes can be seen running it however slow
        // the machine, and the test says when it may go on.
        long hold = System.nanoTime();
        TestBundle bundle = new TestBundle("1.0.0").sql("events", "CREATE TABLE events (changeset VARCHAR(40) NOT NULL)")
                .sql("held", waitForLock(kind, hold));
        for (int i = 1; i <= 12; i++) {
            bundle.sql("slow-" + i, "INSERT INTO events VALUES ('slow-" + i + "'); " + sleep(kind, "0.3"));
        }
        bundle.tag("1.0.0");
        Path war = bundle.war(temp.resolve("twonodes.war"));
        List<TomcatProcess> pair = startNodes(db, url, war, "node-a", "node-b");
        Http a = http(pair.get(0));
        Http b = http(pair.get(1));
        a.await("/app/install/status", 30, Http.state("NOT_INSTALLED"));
        b.await("/app/install/status", 30, Http.state("NOT_INSTALLED"));

        List<Integer> codes = new ArrayList<>();
        List<Http> started = new ArrayList<>();
        try (Connection holder = connect(url);
             Statement sql = holder.createStatement();
             ResultSet held = sql.executeQuery(tryLock(kind, hold))) {
            assertTrue(held.next() && held.getBoolean(1), "the test holds the named lock " + hold);
            ExecutorService clients = Executors.newFixedThreadPool(50);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    Http node = i % 2 == 0 ? a : b;
                    answers.add(clients.submit(() -> {
                        go.await();
                        return node.upgrade("/app", TOKEN);
                    }));
                }
                go.countDown();
                for (int i = 0; i < 50; i++) {
                    int code = answers.get(i).get(60, TimeUnit.SECONDS).statusCode();
                    codes.add(code);
                    if (code == 202) {
                        started.add(i % 2 == 0 ? a : b);
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(1, codes.stream().filter(code -> code == 202).count(), "exactly one start: " + codes);
            assertEquals(49, codes.stream().filter(code -> code == 409).count(), "every other start is refused: " + codes);

            // Both nodes say so while it runs, whichever of them runs it.
            for (Http node : List.of(a, b)) {
                node.await("/app/install/status", 60, Http.state("UPGRADE_RUNNING"));
                HttpResponse<String> page = node.get("/app/index.html", "Accept", "text/html");
                assertEquals(503, page.statusCode());
                assertTrue(page.body().contains("Err 3"), page.body());
            }
            assertFalse(executed(url).contains("held"), "the upgrade waits for the test's named lock");
            // A live owner's lease is never taken, not even by an administrator on the other node.
            Http other = started.get(0) == a ? b : a;
            HttpResponse<String> release = other.send("POST", "/app/install/release-lock", "Authorization",
                    "Bearer " + TOKEN);
            assertEquals(409, release.statusCode(), release.body());
        }

        started.get(0).await("/app/install/status", 60, Http.state("UP"));
        // The other node reads the schema again within refresh.seconds; the deadline allows for a busy machine.
        (started.get(0) == a ? b : a).await("/app/install/status", 30, Http.state("UP"));
        for (Http node : List.of(a, b)) {
            HttpResponse<String> page = node.get("/app/index.html");
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(page.body().contains(TestBundle.CONTENT));
        }
        assertRanOnce(url, bundle.ids());
        assertEquals(12, count(url, "SELECT COUNT(*) FROM events"), "each changeset's insert happened once");
        assertEquals(12, count(url, "SELECT COUNT(DISTINCT changeset) FROM events"));
    }

    // ----- 2: killed mid-upgrade -----

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void killedThreeTimesMidUpgradeResumesWithoutLossOrRepeat(DatabaseKind kind) throws Exception {
        TestDatabase db = database(kind);
        String url = db.createDatabase("killed");
        TestBundle release1 = release1(new TestBundle("1.0.0"), kind);
        installDirectly(url, release1, temp);
        fillPreExistingRows(url);
        Map<String, String> before = rowHashes(url);

        TestBundle release2 = release1(new TestBundle("2.0.0"), kind)
                .sql("2-events", "CREATE TABLE events (changeset VARCHAR(40) NOT NULL)")
                .sql("2-customer-note", "ALTER TABLE customers ADD COLUMN note VARCHAR(100) NULL")
                .sql("2-orders-index", "CREATE INDEX orders_by_customer ON orders (customer_id)");
        for (int i = 1; i <= 20; i++) {
            // The insert and the sleep share the changeset's transaction: a kill in the sleep must undo the insert.
            release2.sql("2-slow-" + i, "INSERT INTO events VALUES ('2-slow-" + i + "'); " + sleep(kind, "0.3"));
            if (i % 5 == 0) {
                release2.sql("2-table-" + i, "CREATE TABLE extra_" + i + " (id INT PRIMARY KEY, v VARCHAR(20))");
            }
        }
        release2.sql("2-bulk", "INSERT INTO extra_5 (id, v) SELECT id, name FROM customers")
                .tag("2.0.0");
        List<String> release2Only = release2.ids().subList(release1.ids().size(), release2.ids().size());

        TomcatProcess node = startNodes(db, url, release2.war(temp.resolve("killed.war")), "node-k").get(0);
        Http http = http(node);
        http.await("/app/install/status", 30, Http.state("UPGRADE_REQUIRED"));

        // The first attempt goes through the wizard, which takes a backup first.
        WizardClient wizard = new WizardClient("http://" + TomcatProcess.HOST + ":" + node.port());
        assertEquals(303, wizard.signIn("/app", TOKEN).statusCode());
        wizard.makeBackup("/app", 60);
        List<Path> backups = backupFiles(node);
        assertEquals(1, backups.size(), "the wizard wrote one backup: " + backups);
        byte[] backup = Files.readAllBytes(backups.get(0));
        wizard.get("/app/install/start");
        wizard.post("/app/install/start", "csrf", wizard.csrf);

        int[] killPoints = {3, 12, 21};
        for (int k = 0; k < killPoints.length; k++) {
            if (k > 0) {
                assertEquals(202, http.upgrade("/app", TOKEN).statusCode());
            }
            awaitExecuted(url, release2Only, killPoints[k], 60);
            node.killHard();
            int done = countExecuted(url, release2Only);
            assertTrue(done < release2Only.size(), "killed before the end, after " + done + " changesets");
            assertLeaseLeftByTheDead(url);

            node.start(properties(db, url), Duration.ofSeconds(60));
            awaitDeployed(node);
            HttpResponse<String> status = http.await("/app/install/status", 30, Http.state("UPGRADE_FAILED"),
                    "Authorization", "Bearer " + TOKEN);
            assertTrue(status.body().contains("was interrupted"), status.body());
            HttpResponse<String> page = http.get("/app/index.html", "Accept", "text/html");
            assertEquals(503, page.statusCode(), "still gated after the kill");
            assertTrue(page.body().contains("Err 4"), page.body());
            assertFalse(page.body().contains(TestBundle.CONTENT));
            assertEquals(before, rowHashes(url), "pre-existing rows after kill " + (k + 1));
            assertEquals(List.of(backups.get(0)), backupFiles(node), "the backup survives the kill");
            if (k == 1) {
                // One way out for the administrator: release the lock left behind, then start again.
                HttpResponse<String> released = http.send("POST", "/app/install/release-lock", "Authorization",
                        "Bearer " + TOKEN);
                assertEquals(200, released.statusCode(), released.body());
                assertTrue(released.body().contains("\"result\":\"RELEASED\""), released.body());
            }
        }
        assertEquals(202, http.upgrade("/app", TOKEN).statusCode());
        http.await("/app/install/status", 60, Http.state("UP"));
        assertEquals(200, http.get("/app/index.html").statusCode());

        assertEquals(before, rowHashes(url), "every pre-existing row is unchanged");
        assertRanOnce(url, release2.ids());
        assertEquals(20, count(url, "SELECT COUNT(*) FROM events"), "each changeset's insert happened once");
        assertEquals(20, count(url, "SELECT COUNT(DISTINCT changeset) FROM events"));
        assertEquals(count(url, "SELECT COUNT(*) FROM customers"), count(url, "SELECT COUNT(*) FROM extra_5"));
        assertEquals(0, count(url, "SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED = TRUE"));
        assertEquals(0, count(url, "SELECT COUNT(*) FROM UPGRADEGATE_LOCK"));
        assertTrue(java.util.Arrays.equals(backup, Files.readAllBytes(backups.get(0))), "the backup is untouched");
    }

    /**
     * The same for Flyway: each migration's insert and its history row commit together on MySQL, so a kill
     * anywhere in a migration leaves it not run, and the resume runs it once.
     */
    @Test
    void killedMidFlywayMigrateResumesWithoutRepeat() throws Exception {
        String url = DB.createDatabase("flykill");
        TestBundle bundle = new TestBundle("1.0.0").mavenBuilt("com.example", "flykill")
                .flyway("V1__events.sql", "CREATE TABLE events (migration VARCHAR(40) NOT NULL);");
        for (int i = 2; i <= 21; i++) {
            bundle.flyway("V" + i + "__slow.sql", "INSERT INTO events VALUES ('V" + i + "');\nSELECT SLEEP(0.3);");
        }
        TomcatProcess node = startNodes(DB, url, bundle.war(temp.resolve("flykill.war")), "node-f").get(0);
        Http http = http(node);
        http.await("/app/install/status", 30, Http.state("NOT_INSTALLED"));

        for (int killAt : new int[] {4, 13}) {
            assertEquals(202, http.upgrade("/app", TOKEN).statusCode());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!tableExists(url, "events") || count(url, "SELECT COUNT(*) FROM events") < killAt) {
                assertTrue(System.nanoTime() < deadline, "the upgrade reached " + killAt + " migrations");
                Thread.sleep(20);
            }
            node.killHard();
            long done = count(url, "SELECT COUNT(*) FROM events");
            assertTrue(done < 20, "killed before the end, after " + done + " inserts");
            assertLeaseLeftByTheDead(url);

            node.start(properties(DB, url), Duration.ofSeconds(60));
            awaitDeployed(node);
            HttpResponse<String> status = http.await("/app/install/status", 30, Http.state("UPGRADE_FAILED"),
                    "Authorization", "Bearer " + TOKEN);
            assertTrue(status.body().contains("was interrupted") && status.body().contains("\"engine\":\"flyway\""),
                    status.body());
            assertEquals(503, http.get("/app/index.html").statusCode(), "still gated after the kill");
            assertEquals(count(url, "SELECT COUNT(*) FROM events"),
                    count(url, "SELECT COUNT(*) FROM flyway_schema_history WHERE version > 1 AND success = 1"),
                    "every insert that stayed has its history row, and no history row lacks its insert");
        }
        assertEquals(202, http.upgrade("/app", TOKEN).statusCode());
        http.await("/app/install/status", 60, Http.state("UP"));
        assertEquals(200, http.get("/app/index.html").statusCode());
        assertEquals(20, count(url, "SELECT COUNT(*) FROM events"), "each migration's insert happened once");
        assertEquals(20, count(url, "SELECT COUNT(DISTINCT migration) FROM events"));
        assertEquals(21, count(url, "SELECT COUNT(DISTINCT version) FROM flyway_schema_history"
                + " WHERE success = 1 AND type <> 'BASELINE'"));
        assertEquals(0, count(url, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 0"));
        assertEquals(0, count(url, "SELECT COUNT(*) FROM UPGRADEGATE_LOCK"));
    }

    // ----- 5: a failing changeset -----

    @Test
    void failingChangesetNamesItselfAndAFixedBundleCompletes() throws Exception {
        String url = DB.createDatabase("failing");
        TestBundle release1 = release1(new TestBundle("1.0.0"), DatabaseKind.MYSQL);
        installDirectly(url, release1, temp);
        fillPreExistingRows(url);
        Map<String, String> before = rowHashes(url);
        TestBundle broken = release1(new TestBundle("2.0.0"), DatabaseKind.MYSQL)
                .sql("2-events", "CREATE TABLE events (changeset VARCHAR(40) NOT NULL)")
                .sql("2-first", "INSERT INTO events VALUES ('2-first')")
                .sql("2-typo", "INSERT INTO evnets VALUES ('2-typo')")
                .sql("2-last", "INSERT INTO events VALUES ('2-last')")
                .tag("2.0.0");
        TestBundle fixed = release1(new TestBundle("2.0.0"), DatabaseKind.MYSQL)
                .sql("2-events", "CREATE TABLE events (changeset VARCHAR(40) NOT NULL)")
                .sql("2-first", "INSERT INTO events VALUES ('2-first')")
                .sql("2-typo", "INSERT INTO events VALUES ('2-typo')")
                .sql("2-last", "INSERT INTO events VALUES ('2-last')")
                .tag("2.0.0");

        TomcatProcess node = startNodes(DB, url, broken.war(temp.resolve("broken.war")), "node-f").get(0);
        Http http = http(node);
        http.await("/app/install/status", 30, Http.state("UPGRADE_REQUIRED"));
        WizardClient wizard = new WizardClient("http://" + TomcatProcess.HOST + ":" + node.port());
        assertEquals(303, wizard.signIn("/app", TOKEN).statusCode());
        wizard.makeBackup("/app", 60);
        wizard.get("/app/install/start");
        wizard.post("/app/install/start", "csrf", wizard.csrf);

        HttpResponse<String> failed = http.await("/app/install/status", 60, Http.state("UPGRADE_FAILED"),
                "Authorization", "Bearer " + TOKEN);
        assertTrue(failed.body().contains("2-typo"), "the status names the changeset: " + failed.body());
        assertTrue(failed.body().contains("evnets"), "and the database's reason: " + failed.body());
        HttpResponse<String> page = http.get("/app/index.html", "Accept", "text/html");
        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("Err 4"), page.body());
        assertFalse(page.body().contains(TestBundle.CONTENT));
        assertEquals(1, backupFiles(node).size(), "the backup taken before the attempt is there");
        assertEquals(List.of("2-first"), strings(url, "SELECT changeset FROM events"));
        assertEquals(before, rowHashes(url));

        node.deploy(fixed.war(temp.resolve("fixed.war")), "app.war");
        // The redeployed bundle gets a new gate, which forgets this node's failure: UPGRADE_REQUIRED again.
        http.await("/app/install/status", 60, Http.state("UPGRADE_REQUIRED"));
        assertEquals(202, http.upgrade("/app", TOKEN).statusCode());
        http.await("/app/install/status", 60, Http.state("UP"));
        assertEquals(200, http.get("/app/index.html").statusCode());
        assertEquals(List.of("2-first", "2-last", "2-typo"), strings(url, "SELECT changeset FROM events ORDER BY 1"));
        assertRanOnce(url, fixed.ids());
        assertEquals(before, rowHashes(url));
        assertEquals(1, backupFiles(node).size(), "the backup is still there");
    }

    // ----- nodes -----

    /** target/it-reliability/, beside the valve jar. */
    static Path keep() {
        return ITUpgradeGateDistribution.KEEP.getParent().resolve("it-reliability");
    }

    /** The database of this kind's server. */
    static TestDatabase database(DatabaseKind kind) {
        return kind == DatabaseKind.POSTGRESQL ? PG : DB;
    }

    /**
     * Starts one node per name, in parallel, each with the bundle deployed as /app on the database {@code url} of
     * {@code db}'s server, and that server's JDBC driver in lib/.
     */
    List<TomcatProcess> startNodes(TestDatabase db, String url, Path war, String... names) throws Exception {
        List<TomcatProcess> started = new ArrayList<>();
        for (String name : names) {
            TomcatProcess node = new TomcatProcess(ITUpgradeGateDistribution.DIST, temp.resolve(name),
                    keep().resolve(name + ".out"));
            Files.deleteIfExists(node.output());
            node.addLibrary(ITUpgradeGateDistribution.VALVE_JAR);
            node.addLibrary(ITUpgradeGateDistribution.WARS.resolve(db.driver().jarName()));
            node.configureServer(ITUpgradeGateDistribution.VALVE_LINE);
            node.writeConfiguration("upgradegate.properties", String.join("\n",
                    "install.token=" + TOKEN,
                    "refresh.seconds=" + REFRESH_SECONDS,
                    "backup.dir=" + node.base().resolve("backups"),
                    "app.app.datasource=jdbc/ShopDB",
                    ""));
            node.deploy(war, "app.war");
            nodes.add(node);
            started.add(node);
        }
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (TomcatProcess node : started) {
            starting.add(CompletableFuture.runAsync(() -> {
                try {
                    node.start(properties(db, url), Duration.ofSeconds(60));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        CompletableFuture.allOf(starting.toArray(new CompletableFuture[0])).get(90, TimeUnit.SECONDS);
        for (TomcatProcess node : started) {
            awaitDeployed(node);
        }
        return started;
    }

    /**
     * The port answers before the webapps are deployed; on a busy 2-core machine the deploy alone can take
     * half a minute, so a request that times out here is asked again, within a bound.
     */
    static void awaitDeployed(TomcatProcess node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                http(node).await("/app/install/status", 60, Http.checked());
                return;
            } catch (AssertionError slow) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(slow.getMessage() + "; Tomcat's output:\n" + node.tail(40), slow);
                }
                Thread.sleep(500);
            }
        }
    }

    static Map<String, String> properties(TestDatabase db, String url) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("shop.db.url", url);
        properties.put("shop.db.driver", db.driver().className());
        properties.put("shop.db.user", db.user());
        properties.put("shop.db.password", db.password());
        return properties;
    }

    static Http http(TomcatProcess node) {
        return new Http("http://" + TomcatProcess.HOST + ":" + node.port());
    }

    static List<Path> backupFiles(TomcatProcess node) throws Exception {
        Path dir = node.base().resolve("backups");
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

}
