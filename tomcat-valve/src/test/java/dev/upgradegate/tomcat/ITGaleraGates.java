package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.GaleraCluster;
import dev.upgradegate.testsupport.GaleraNode;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TestDriver;

/**
 * The cluster's story told to every node: two embedded Tomcats, each gating the shop on a different node of a
 * real three-node MariaDB Galera cluster, and a third on the plain test server for contrast. Each node's status,
 * pre-flight checks and health page show its cluster; a start through a node that is not Synced, or whose
 * connections use RSU, is refused and says why; maintenance turned on through one node is seen through the other;
 * a node forced out of the primary component is DB_UNAVAILABLE and comes back UP by itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ITGaleraGates {

    @RegisterExtension
    static final TestDatabase PLAIN = new TestDatabase();

    static final String TOKEN = "galera-gates-token-0123456789";
    static final String BEARER = "Bearer " + TOKEN;

    @TempDir
    static Path base;

    static GaleraCluster cluster;
    /** The nodes the two Tomcats use; the cluster's third node only votes. */
    static GaleraNode nodeA;
    static GaleraNode nodeB;
    static String database;
    static EmbeddedTomcat tomcatA;
    static EmbeddedTomcat tomcatB;
    static EmbeddedTomcat tomcatPlain;
    static Http a;
    static Http b;
    static Http plain;
    static LogCapture log;

    @BeforeAll
    static void startThreeTomcats() throws Exception {
        log = new LogCapture();
        cluster = GaleraCluster.shared();
        nodeA = cluster.node(1);
        nodeB = cluster.node(2);
        database = cluster.createDatabase("galera_gates");
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "app.shop.datasource=jdbc/ShopDB",
                "app.rsu.datasource=jdbc/ShopDB",
                ""));
        String driver = TestDriver.selected().className();
        tomcatA = new EmbeddedTomcat(base.resolve("a"), config, "GaleraA", driver, cluster.user(), cluster.password());
        tomcatB = new EmbeddedTomcat(base.resolve("b"), config, "GaleraB", driver, cluster.user(), cluster.password());
        tomcatPlain = new EmbeddedTomcat(base.resolve("plain"), config, PLAIN, "Plain");
        a = tomcatA.http;
        b = tomcatB.http;
        plain = tomcatPlain.http;
        tomcatA.deploy("/shop", "shop-1.0.0.war", nodeA.jdbcUrl(database));
        tomcatB.deploy("/shop", "shop-1.0.0.war", nodeB.jdbcUrl(database));
        tomcatPlain.deploy("/shop", "shop-1.0.0.war", PLAIN.jdbcUrl());
        for (Http node : new Http[] {a, b, plain}) {
            node.await("/shop/install/status", 60, Http.state("NOT_INSTALLED"));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        EmbeddedTomcat.closeNodes(tomcatPlain, tomcatB, tomcatA);
        if (database != null) {
            cluster.dropDatabase(database);
        }
        if (log != null) {
            log.close();
        }
    }

    static String status(Http node) {
        return node.get("/shop/install/status", "Authorization", BEARER).body();
    }

    static WizardClient signedIn(Http node) {
        WizardClient admin = new WizardClient(node.base());
        assertEquals(303, admin.signIn("/shop", TOKEN).statusCode());
        return admin;
    }

    /** When node B was first seen Synced in the primary component, as a nanoTime. */
    static long awaitNodeBInThePrimaryComponent() throws Exception {
        try (Connection connection = nodeB.connect(database); Statement statement = connection.createStatement()) {
            while (true) {
                Set<String> seen = new HashSet<>();
                try (ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN"
                        + " ('wsrep_cluster_status', 'wsrep_local_state_comment')")) {
                    while (rows.next()) {
                        seen.add(rows.getString(2));
                    }
                }
                if (seen.equals(Set.of("Primary", "Synced"))) {
                    return System.nanoTime();
                }
                Thread.sleep(25);
            }
        }
    }

    /** When {@code node}'s status resource first said {@code state}, as a nanoTime. */
    static long awaitState(Http node, String state) throws InterruptedException {
        while (!Http.state(state).test(node.get("/shop/install/status"))) {
            Thread.sleep(25);
        }
        return System.nanoTime();
    }

    @Test
    @Order(1)
    void everyNodeShowsItsClusterAndThePlainServerNothingClusterIsh() {
        for (Http node : new Http[] {a, b}) {
            String status = status(node);
            assertTrue(status.contains("\"cluster\":{\"size\":3,\"nodeState\":\"Synced\",\"primary\":true,"
                    + "\"osuMethod\":\"TOI\",\"upgradeRefused\":null}"), status);
            WizardClient admin = signedIn(node);
            String overview = admin.get("/shop/install/overview").body();
            assertTrue(overview.contains("Galera node may run the upgrade") && overview.contains(
                    "Galera cluster of 3 nodes, this node Synced, wsrep_OSU_method=TOI"), overview);
            String health = admin.get("/shop/install/health").body();
            assertTrue(health.contains("<dt>Cluster</dt><dd>Galera cluster of 3 nodes, this node Synced,"
                    + " wsrep_OSU_method=TOI"), health);
        }
        String status = status(plain);
        assertTrue(status.contains("\"state\":\"NOT_INSTALLED\"") && !status.contains("cluster"), status);
        WizardClient admin = signedIn(plain);
        String overview = admin.get("/shop/install/overview").body();
        assertTrue(overview.contains("Database reachable") && !overview.contains("Galera"), overview);
        String health = admin.get("/shop/install/health").body();
        assertTrue(health.contains("<dt>Database</dt>") && !health.contains("Cluster"), health);
    }

    @Test
    @Order(2)
    void aStartThroughANodeThatIsNotSyncedIsRefusedAndTheWizardSaysWhy() throws Exception {
        nodeB.execute("SET GLOBAL wsrep_desync=ON");
        try {
            b.await("/shop/install/status", 30, r -> r.body().contains("\"nodeState\":\"Donor/Desynced\""),
                    "Authorization", BEARER);
            HttpResponse<String> refused = b.upgrade("/shop", TOKEN);
            assertEquals(409, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("the upgrade cannot start through this node: this node of the Galera"
                    + " cluster is Donor/Desynced, not Synced"), refused.body());

            WizardClient admin = signedIn(b);
            admin.makeBackup("/shop", 60);
            admin.get("/shop/install/start");
            HttpResponse<String> wizard = admin.post("/shop/install/start", "csrf", admin.csrf);
            assertEquals(409, wizard.statusCode(), wizard.body());
            assertTrue(wizard.body().contains("Upgrade refused on this node") && wizard.body().contains(
                    "Nothing has run: this node of the Galera cluster is Donor/Desynced, not Synced"), wizard.body());
            assertTrue(status(b).contains("\"state\":\"NOT_INSTALLED\""), "nothing started");
            assertTrue(log.any("shop: upgrade requested by") && log.any("not started: this node of the Galera cluster"
                    + " is Donor/Desynced"), "the refusal is logged with its reason");
        } finally {
            nodeB.execute("SET GLOBAL wsrep_desync=OFF");
        }
        nodeB.awaitSynced(Duration.ofSeconds(60));
        b.await("/shop/install/status", 30, r -> r.body().contains("\"nodeState\":\"Synced\""), "Authorization", BEARER);
    }

    @Test
    @Order(3)
    void aStartThroughConnectionsThatUseRsuIsRefusedAndTheWizardSaysWhy() throws Exception {
        // The same shop on the same node and database, its pool's sessions set to RSU by the JDBC URL. A webapp of
        // its own rather than a redeploy: embedded Tomcats in one JVM share one global JNDI context, which only the
        // last one started can deregister from.
        String url = nodeB.jdbcUrl(database);
        tomcatB.deploy("/rsu", "shop-1.0.0.war", url + (url.contains("?") ? "&" : "?")
                + "sessionVariables=wsrep_OSU_method=RSU");
        b.await("/rsu/install/status", 60, r -> r.body().contains("\"osuMethod\":\"RSU\""), "Authorization", BEARER);
        String status = b.get("/rsu/install/status", "Authorization", BEARER).body();
        assertTrue(status.contains("\"state\":\"NOT_INSTALLED\"") && status.contains("\"upgradeRefused\":\"wsrep_OSU_method"
                + " is RSU"), status);
        HttpResponse<String> refused = b.upgrade("/rsu", TOKEN);
        assertEquals(409, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("wsrep_OSU_method is RSU for the webapp's connections: the upgrade's DDL"
                + " would change this node of the Galera cluster only; set it to TOI"), refused.body());

        WizardClient admin = new WizardClient(b.base());
        assertEquals(303, admin.signIn("/rsu", TOKEN).statusCode());
        String overview = admin.get("/rsu/install/overview").body();
        assertTrue(overview.contains("Failed</b> Galera node may run the upgrade"), overview);
        admin.makeBackup("/rsu", 60);
        admin.get("/rsu/install/start");
        HttpResponse<String> wizard = admin.post("/rsu/install/start", "csrf", admin.csrf);
        assertEquals(409, wizard.statusCode(), wizard.body());
        assertTrue(wizard.body().contains("Nothing has run: wsrep_OSU_method is RSU"), wizard.body());
        assertTrue(status(b).contains("\"state\":\"NOT_INSTALLED\""), "nothing started");
        assertTrue(status(b).contains("\"osuMethod\":\"TOI\""), "the shop's own connections are not concerned");
    }

    @Test
    @Order(4)
    void aSyncedNodeUpgradesAndManualMaintenanceThroughOneNodeIsSeenThroughTheOther() {
        assertEquals(202, a.upgrade("/shop", TOKEN).statusCode());
        a.await("/shop/install/status", 120, Http.state("UP"));
        b.await("/shop/install/status", 30, Http.state("UP"));
        assertEquals(200, b.get("/shop/products").statusCode());

        HttpResponse<String> on = a.sendBody("POST", "/shop/install/maintenance", "{\"message\": \"Galera drill\"}",
                "Authorization", BEARER, "Content-Type", "application/json");
        assertEquals(200, on.statusCode(), on.body());
        b.await("/shop/install/status", 30, Http.state("MAINTENANCE"));
        HttpResponse<String> page = b.get("/shop/products", "Accept", "text/html");
        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("Galera drill"), page.body());

        HttpResponse<String> off = b.send("DELETE", "/shop/install/maintenance", "Authorization", BEARER);
        assertEquals(200, off.statusCode(), off.body());
        a.await("/shop/install/status", 30, Http.state("UP"));
        assertEquals(200, a.get("/shop/products").statusCode());
    }

    /** Rounds of isolation and return: the closing note of issue 16 gives the time from return to UP. */
    static final int ROUNDS = 3;

    @Test
    @Order(5)
    void aNodeOutsideThePrimaryComponentIsUnavailableAndComesBackByItself() throws Exception {
        ExecutorService watchers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 1; round <= ROUNDS; round++) {
                nodeB.isolate();
                long isolated = System.nanoTime();
                b.await("/shop/install/status", 60, Http.state("DB_UNAVAILABLE"));
                long unavailable = System.nanoTime();
                HttpResponse<String> page = b.get("/shop/products", "Accept", "text/html");
                assertEquals(503, page.statusCode());
                assertTrue(page.body().contains("Err 6"), page.body());
                assertFalse(page.body().contains("WSREP"), "the visitor never sees the database's words");
                assertTrue(status(b).contains("\"primary\":false"), status(b));
                assertEquals(200, a.get("/shop/products").statusCode(), "the primary component's nodes serve on");

                // Both watched every 25 ms from before the node is let back: when it is Synced in the primary
                // component again, and when its gate says UP.
                Future<Long> nodeBack = watchers.submit(ITGaleraGates::awaitNodeBInThePrimaryComponent);
                Future<Long> gateUp = watchers.submit(() -> awaitState(b, "UP"));
                long rejoining = System.nanoTime();
                nodeB.rejoin();
                long back = nodeBack.get(60, TimeUnit.SECONDS);
                long up = gateUp.get(60, TimeUnit.SECONDS);
                System.out.println("[galera] round " + round + ": node 2 out of the primary component, its gate"
                        + " DB_UNAVAILABLE " + TimeUnit.NANOSECONDS.toMillis(unavailable - isolated) + " ms after; let"
                        + " back, Synced in the primary component " + TimeUnit.NANOSECONDS.toMillis(back - rejoining)
                        + " ms later, and its gate UP " + TimeUnit.NANOSECONDS.toMillis(up - back)
                        + " ms after that (refresh.seconds=1)");
                assertTrue(up - back < TimeUnit.SECONDS.toNanos(30), "UP by itself, within 30 s of the node's return");
                assertEquals(200, b.get("/shop/products").statusCode());
            }
        } finally {
            watchers.shutdownNow();
            cluster.makeWhole();
        }
        assertTrue(log.any("shop: UP -> DB_UNAVAILABLE (this node of the Galera cluster is outside the primary"
                + " component"), "the reason is logged");
    }
}
