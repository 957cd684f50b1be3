package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.GaleraCluster;
import dev.upgradegate.testsupport.GaleraNode;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TomcatProcess;

/**
 * Exactly one upgrade on a MariaDB Galera cluster (issue 16): two Tomcat 11 distributions with the valve, {@code a}
 * connected to node 1 and {@code b} to node 2 of a real three-node cluster ({@link GaleraCluster}), where named
 * locks are node-local and only the certified lease row can keep the second start out. Every check of what ran
 * reads all three nodes.
 *
 * <p>Both Tomcats are started once with a database per webapp; each test deploys its webapp to both. A test that
 * kills a Tomcat or a node brings it back afterwards. Tomcat output is kept under target/it-galera/.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ITGaleraUpgradeLock {

    static final String TOKEN = "it-galera-" + Long.toHexString(new java.security.SecureRandom().nextLong());
    /** The smallest allowed: a dead upgrader's lease counts as interrupted 8 s after its last heartbeat. */
    static final int STALE_SECONDS = 8;
    /** The kill tests' slow changesets: enough that a kill finds the upgrade mid-way. */
    static final int SLOW = 20;
    static final int ROUNDS = 3;
    static final int STARTS = 50;
    static final String[] WEBAPPS = {"race1", "race2", "race3", "tomcatkill", "nodekill"};

    static GaleraCluster cluster;
    /** Webapp name to its database, the same on every node. */
    static final Map<String, String> databases = new LinkedHashMap<>();
    /** Both CATALINA_BASEs and the WARs, removed after the class. */
    @TempDir
    static Path temp;
    static TomcatProcess a;
    static TomcatProcess b;

    @BeforeAll
    static void startTomcats() throws Exception {
        cluster = GaleraCluster.shared();
        for (String webapp : WEBAPPS) {
            databases.put(webapp, cluster.createDatabase(webapp));
        }
        a = tomcat("tomcat-a", cluster.node(1));
        b = tomcat("tomcat-b", cluster.node(2));
        CompletableFuture.allOf(start(a, cluster.node(1)), start(b, cluster.node(2))).get(120, TimeUnit.SECONDS);
    }

    @BeforeEach
    void bothTomcatsRun() throws Exception {
        if (!a.running()) {
            start(a, cluster.node(1)).get(120, TimeUnit.SECONDS);
        }
        if (!b.running()) {
            start(b, cluster.node(2)).get(120, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void wholeCluster() {
        cluster.makeWhole();
    }

    @AfterAll
    static void stopTomcats() throws Exception {
        for (TomcatProcess tomcat : new TomcatProcess[] {a, b}) {
            if (tomcat != null) {
                try {
                    tomcat.stop(Duration.ofSeconds(30));
                } finally {
                    tomcat.keepFiles(keep().resolve(tomcat.base().getFileName()));
                }
            }
        }
        if (cluster != null) {
            databases.values().forEach(cluster::dropDatabase);
        }
    }

    // ----- 50 concurrent starts over two Tomcats on two nodes, several rounds -----

    @Test
    void fiftyConcurrentStartsOverTwoNodesRunExactlyOneUpgradeInEveryRound() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            outcomes.add("round " + round + ": " + race("race" + round));
        }
        System.out.println("[galera] " + ROUNDS + " rounds of " + STARTS + " concurrent starts over 2 Tomcats on 2"
                + " Galera nodes: " + String.join("; ", outcomes));
    }

    /** One round on a fresh database: exactly one start wins, and what it ran ran once on every node. */
    private String race(String webapp) throws Exception {
        String database = databases.get(webapp);
        // The upgrade waits on a row the test holds locked on both Tomcats' nodes (Galera's row locks are local
        // too), so both can be seen running it however slow the machine, and the test says when it may go on.
        execute(cluster.node(1), database, "CREATE TABLE upgrade_hold (id INT PRIMARY KEY)",
                "INSERT INTO upgrade_hold VALUES (1)");
        TestBundle bundle = new TestBundle("1.0.0").database(webapp)
                .sql("events", "CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY,"
                        + " changeset VARCHAR(40) NOT NULL)")
                .sql("held", "SELECT id FROM upgrade_hold WHERE id = 1 FOR UPDATE");
        for (int i = 1; i <= 6; i++) {
            bundle.sql("step-" + i, "INSERT INTO events (changeset) VALUES ('step-" + i + "')");
        }
        bundle.tag("1.0.0");
        Http[] https = deploy(bundle, webapp, "NOT_INSTALLED");
        String app = "/" + webapp;

        List<Integer> codes = new ArrayList<>();
        Http started = null;
        long raceStarted = System.nanoTime();
        try (Connection holdA = hold(cluster.node(1), database); Connection holdB = hold(cluster.node(2), database)) {
            ExecutorService clients = Executors.newFixedThreadPool(STARTS);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < STARTS; i++) {
                    Http tomcat = https[i % 2];
                    answers.add(clients.submit(() -> {
                        go.await();
                        return tomcat.upgrade(app, TOKEN);
                    }));
                }
                go.countDown();
                for (int i = 0; i < STARTS; i++) {
                    HttpResponse<String> answer = answers.get(i).get(90, TimeUnit.SECONDS);
                    codes.add(answer.statusCode());
                    if (answer.statusCode() == 202) {
                        started = https[i % 2];
                    } else if (answer.statusCode() != 409) {
                        System.out.println("[galera] " + webapp + ": unexpected answer " + answer.statusCode() + ": "
                                + answer.body());
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            long accepted = codes.stream().filter(code -> code == 202).count();
            long refused = codes.stream().filter(code -> code == 409).count();
            assertEquals(1, accepted, webapp + ": exactly one start: " + codes);
            assertEquals(STARTS - 1, refused, webapp + ": every other start is refused: " + codes);

            // Both Tomcats say so while it runs, whichever of them runs it: the other node reads a live lease.
            for (Http tomcat : https) {
                tomcat.await(app + "/install/status", 60, Http.state("UPGRADE_RUNNING"));
                HttpResponse<String> page = tomcat.get(app + "/index.html", "Accept", "text/html");
                assertEquals(503, page.statusCode());
                assertFalse(page.body().contains(TestBundle.CONTENT));
            }
            assertFalse(executed(cluster.node(3), database).contains("held"), "the upgrade waits for the test");
            Http other = started == https[0] ? https[1] : https[0];
            HttpResponse<String> release = other.send("POST", app + "/install/release-lock", "Authorization",
                    "Bearer " + TOKEN);
            assertEquals(409, release.statusCode(), "a live lease is not taken on the other node: " + release.body());
            holdA.rollback();
            holdB.rollback();
        }
        for (Http tomcat : https) {
            tomcat.await(app + "/install/status", 60, Http.state("UP"));
            HttpResponse<String> page = tomcat.get(app + "/index.html");
            assertEquals(200, page.statusCode(), page.body());
        }
        double seconds = (System.nanoTime() - raceStarted) / 1e9;
        assertRanOnceOnEveryNode(database, bundle.ids(), 6);
        String winner = started == https[0] ? "tomcat-a (node 1)" : "tomcat-b (node 2)";
        return codes.stream().filter(code -> code == 202).count() + " x 202, "
                + codes.stream().filter(code -> code == 409).count() + " x 409, started on " + winner
                + ", UP on both after " + String.format("%.1f s", seconds) + ", each changeset once on 3 nodes";
    }

    // ----- a Tomcat killed mid-upgrade -----

    @Test
    void aKilledTomcatsUpgradeIsShownInterruptedOnTheOtherNodeAndResumedThereOnce() throws Exception {
        String webapp = "tomcatkill";
        String database = databases.get(webapp);
        TestBundle bundle = slowBundle(webapp, SLOW);
        Http[] https = upgradeOnA(bundle, webapp);
        a.killHard();
        long killed = System.nanoTime();
        int done = executed(cluster.node(2), database).size();
        assertTrue(done < bundle.ids().size(), "killed before the end, after " + done + " changesets");
        assertEquals(1, count(cluster.node(2), database, "SELECT COUNT(*) FROM UPGRADEGATE_LOCK"),
                "the lease row outlives its holder");

        // Node 2 cannot see node 1's named lock, so it waits for the heartbeat to go stale.
        assertInterruptedThenResumedOnB(https[1], webapp, bundle, "tomcat-a", done, killed);
        assertEquals(0, count(cluster.node(3), database,
                "SELECT COUNT(*) FROM DATABASECHANGELOGLOCK WHERE LOCKED = 1"), "Liquibase's lock is free");
    }

    // ----- the upgrading Tomcat's Galera node killed mid-upgrade -----

    @Test
    void killingTheUpgradersNodeFailsItClearlyAndASurvivingNodeResumesIt() throws Exception {
        String webapp = "nodekill";
        String database = databases.get(webapp);
        TestBundle bundle = slowBundle(webapp, SLOW);
        Http[] https = upgradeOnA(bundle, webapp);
        String app = "/" + webapp;
        cluster.node(1).kill();
        long killed = System.nanoTime();

        // Tomcat a lost its database: the upgrade fails, its log says which webapp and why (and which changeset, when
        // the node died in one), and its webapp stays gated.
        awaitLog(a, Pattern.compile(webapp + ": upgrade (failed: changeset |stopped: )"), 90);
        assertEquals(503, https[0].get(app + "/index.html", "Accept", "text/html").statusCode());
        int done = executed(cluster.node(2), database).size();
        assertTrue(done < bundle.ids().size(), "the node died before the end, after " + done + " changesets");
        // On the surviving nodes the lease is left by a dead upgrader, and shown so once its heartbeat is stale.
        assertInterruptedThenResumedOnB(https[1], webapp, bundle, "node 1", done, killed);

        // Node 1 comes back by IST or SST, and Tomcat a with it, without being told.
        long returning = System.nanoTime();
        cluster.node(1).start();
        long synced = System.nanoTime();
        https[0].await(app + "/install/status", 60, Http.state("UP"));
        System.out.printf("[galera] %s: node 1 restarted and Synced in %.1f s; tomcat-a UP %.1f s after that%n",
                webapp, (synced - returning) / 1e9, (System.nanoTime() - synced) / 1e9);
        assertRanOnceOnEveryNode(database, bundle.ids(), SLOW);
    }

    // ----- bundles, Tomcats, checks -----

    /** {@code count} changesets, each an insert and a short sleep in one transaction: a kill finds one running. */
    private static TestBundle slowBundle(String webapp, int count) {
        TestBundle bundle = new TestBundle("1.0.0").database(webapp)
                .sql("events", "CREATE TABLE events (id INT AUTO_INCREMENT PRIMARY KEY,"
                        + " changeset VARCHAR(40) NOT NULL)");
        for (int i = 1; i <= count; i++) {
            bundle.sql("slow-" + i, "INSERT INTO events (changeset) VALUES ('slow-" + i + "'); SELECT SLEEP(0.3)");
        }
        return bundle.tag("1.0.0");
    }

    /** Deploys the bundle to both Tomcats and waits until each shows {@code state}. */
    private static Http[] deploy(TestBundle bundle, String webapp, String state) throws Exception {
        Path war = bundle.war(temp.resolve(webapp + ".war"));
        a.deploy(war, webapp + ".war");
        b.deploy(war, webapp + ".war");
        Http[] https = {http(a), http(b)};
        for (Http tomcat : https) {
            tomcat.await("/" + webapp + "/install/status", 120, Http.state(state));
        }
        return https;
    }

    /**
     * Deploys {@code bundle} as {@code webapp} to both Tomcats, starts its upgrade on tomcat-a, and returns once node 2
     * has seen four changesets run: a kill now finds the upgrade mid-way.
     */
    private static Http[] upgradeOnA(TestBundle bundle, String webapp) throws Exception {
        Http[] https = deploy(bundle, webapp, "NOT_INSTALLED");
        assertEquals(202, https[0].upgrade("/" + webapp, TOKEN).statusCode());
        awaitExecuted(cluster.node(2), databases.get(webapp), 4);
        return https;
    }

    /**
     * After {@code victim} was killed ({@code killed}, a nanoTime) {@code done} changesets into the slow upgrade:
     * tomcat-b shows the upgrade interrupted, keeps the webapp gated, and resumes it to UP, each changeset once on
     * every node.
     */
    private static void assertInterruptedThenResumedOnB(Http b, String webapp, TestBundle bundle, String victim,
            int done, long killed) throws Exception {
        String app = "/" + webapp;
        HttpResponse<String> status = b.await(app + "/install/status", 60, Http.state("UPGRADE_FAILED"),
                "Authorization", "Bearer " + TOKEN);
        assertTrue(status.body().contains("was interrupted"), status.body());
        System.out.printf("[galera] %s: %s killed after %d changesets; tomcat-b showed the upgrade interrupted"
                + " %.1f s later (lock.staleSeconds=%d)%n", webapp, victim, done, (System.nanoTime() - killed) / 1e9,
                STALE_SECONDS);
        HttpResponse<String> page = b.get(app + "/index.html", "Accept", "text/html");
        assertEquals(503, page.statusCode(), "still gated on tomcat-b after the kill of " + victim);
        assertFalse(page.body().contains(TestBundle.CONTENT));

        assertEquals(202, b.upgrade(app, TOKEN).statusCode());
        b.await(app + "/install/status", 90, Http.state("UP"));
        assertEquals(200, b.get(app + "/index.html").statusCode());
        assertRanOnceOnEveryNode(databases.get(webapp), bundle.ids(), SLOW);
    }

    private static TomcatProcess tomcat(String name, GaleraNode node) throws Exception {
        TomcatProcess tomcat = new TomcatProcess(ITUpgradeGateDistribution.DIST, temp.resolve(name),
                keep().resolve(name + ".out"));
        Files.deleteIfExists(tomcat.output());
        tomcat.addLibrary(ITUpgradeGateDistribution.VALVE_JAR);
        tomcat.addLibrary(ITUpgradeGateDistribution.WARS.resolve(
                dev.upgradegate.testsupport.TestDriver.selected().jarName()));
        tomcat.configureServer(ITUpgradeGateDistribution.VALVE_LINE);
        tomcat.writeConfiguration("upgradegate.properties", String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "lock.staleSeconds=" + STALE_SECONDS,
                "backup.dir=" + tomcat.base().resolve("backups"),
                "datasource=jdbc/ShopDB",
                ""));
        return tomcat;
    }

    /** Starts the Tomcat with every webapp's database on {@code node}; restarts one killed before. */
    private static CompletableFuture<Void> start(TomcatProcess tomcat, GaleraNode node) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<String, String> database : databases.entrySet()) {
            properties.put(database.getKey() + ".db.url", node.jdbcUrl(database.getValue()));
            properties.put(database.getKey() + ".db.user", cluster.user());
            properties.put(database.getKey() + ".db.password", cluster.password());
        }
        return CompletableFuture.runAsync(() -> {
            try {
                tomcat.start(properties, Duration.ofSeconds(90));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static Path keep() {
        return ITUpgradeGateDistribution.KEEP.getParent().resolve("it-galera");
    }

    static Http http(TomcatProcess tomcat) {
        return new Http("http://" + TomcatProcess.HOST + ":" + tomcat.port());
    }

    private static void awaitLog(TomcatProcess tomcat, Pattern line, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!line.matcher(tomcat.outputText()).find()) {
            if (System.nanoTime() > deadline) {
                fail("Tomcat did not log " + line + " within " + seconds + " s:\n" + tomcat.tail(40));
            }
            Thread.sleep(200);
        }
    }

    /** A transaction on {@code node} holding the row the bundle's "held" changeset waits for. */
    private static Connection hold(GaleraNode node, String database) throws SQLException {
        Connection connection = node.connect(database);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT id FROM upgrade_hold WHERE id = 1 FOR UPDATE")) {
            assertTrue(row.next(), "the test holds the row on " + node);
        }
        return connection;
    }

    /**
     * Every changeset of the bundle ran exactly once and each event happened once, as every node of the cluster
     * tells (a node applies another's commits moments later, so each is given a few seconds to agree).
     */
    private static void assertRanOnceOnEveryNode(String database, List<String> ids, int events) throws Exception {
        for (GaleraNode node : cluster.nodes()) {
            if (!node.running()) {
                continue;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (executed(node, database).size() < ids.size() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<String> done = executed(node, database);
            assertEquals(ids.size(), done.size(), node + ": DATABASECHANGELOG " + done);
            assertEquals(new TreeSet<>(ids), new TreeSet<>(done), node + ": each changeset once");
            assertEquals(events, count(node, database, "SELECT COUNT(*) FROM events"), node + ": each insert once");
            assertEquals(events, count(node, database, "SELECT COUNT(DISTINCT changeset) FROM events"),
                    node.toString());
            assertEquals(0, count(node, database, "SELECT COUNT(*) FROM UPGRADEGATE_LOCK"), node + ": lease ended");
        }
    }

    private static void awaitExecuted(GaleraNode node, String database, int atLeast) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (executed(node, database).size() < atLeast) {
            if (System.nanoTime() > deadline) {
                fail("the upgrade did not reach " + atLeast + " changesets within 90 s on " + node);
            }
            Thread.sleep(20);
        }
    }

    /** The changesets run so far, in order, as {@code node} has them; none before Liquibase made its table. */
    private static List<String> executed(GaleraNode node, String database) throws SQLException {
        return read(node, database, connection -> {
            List<String> ids = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                try (ResultSet table = statement.executeQuery("SELECT COUNT(*) FROM information_schema.TABLES"
                        + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'DATABASECHANGELOG'")) {
                    table.next();
                    if (table.getInt(1) == 0) {
                        return ids;
                    }
                }
                try (ResultSet rows = statement.executeQuery(
                        "SELECT ID FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED")) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
            }
            return ids;
        });
    }

    private static long count(GaleraNode node, String database, String sql) throws SQLException {
        return read(node, database, connection -> {
            try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    @FunctionalInterface
    interface Read<T> {
        T from(Connection connection) throws SQLException;
    }

    /**
     * Galera aborts a reader standing in the way of a write replicated from another node ("Deadlock found when trying
     * to get lock", seen while the upgrade's DDL arrived): the test asks again, as an application would.
     */
    private static <T> T read(GaleraNode node, String database, Read<T> read) throws SQLException {
        for (int attempt = 1;; attempt++) {
            try (Connection connection = node.connect(database)) {
                return read.from(connection);
            } catch (SQLTransactionRollbackException aborted) {
                if (attempt == 5) {
                    throw aborted;
                }
            }
        }
    }

    private static void execute(GaleraNode node, String database, String... statements) throws SQLException {
        try (Connection connection = node.connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
