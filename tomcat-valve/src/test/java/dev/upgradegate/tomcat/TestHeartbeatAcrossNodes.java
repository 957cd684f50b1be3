package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.migrations.LockInfo;
import dev.upgradegate.migrations.Sql;
import dev.upgradegate.migrations.UpgradeLock;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The background heartbeat: an upgrade that outlives several heartbeat periods, and the stale threshold, is
 * never seen as stale by another node sharing the database: in the lease row, or in that node's wizard,
 * which offers to release a stale lock.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestHeartbeatAcrossNodes {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "heartbeat-install-token-0123456789";
    /** The smallest allowed: a heartbeat every 2 s, stale after 8 s of silence. */
    static final int STALE_SECONDS = 8;
    static final int SLOW_CHANGESETS = 12;

    @TempDir
    static Path base;

    static EmbeddedTomcat nodeA;
    static EmbeddedTomcat nodeB;

    @BeforeAll
    static void startTwoNodes() throws Exception {
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "lock.staleSeconds=" + STALE_SECONDS,
                "app.app.datasource=jdbc/ShopDB",
                "app.lost.datasource=jdbc/ShopDB",
                ""));
        nodeA = new EmbeddedTomcat(base.resolve("a"), config, DB, "HeartbeatA");
        nodeB = new EmbeddedTomcat(base.resolve("b"), config, DB, "HeartbeatB");
    }

    @AfterAll
    static void stopTwoNodes() throws Exception {
        EmbeddedTomcat.closeNodes(nodeB, nodeA);
    }

    @Test
    void aLongUpgradeIsNeverSeenAsStaleByAnotherNode() throws Exception {
        TestBundle bundle = OutageReliabilityStory.slowBundle(DB.kind(), SLOW_CHANGESETS, 1);
        nodeA.deploy("/app", bundle.directory(base.resolve("app-a")).toString(), DB.jdbcUrl());
        nodeB.deploy("/app", bundle.directory(base.resolve("app-b")).toString(), DB.jdbcUrl());
        Http a = nodeA.http;
        Http b = nodeB.http;
        b.await("/app/install/status", 30, Http.state("NOT_INSTALLED"));

        // The other node's administrator: its overview offers to release the lock only when it is stale.
        WizardClient admin = new WizardClient(b.base());
        assertEquals(303, admin.signIn("/app", TOKEN).statusCode());

        long started = System.nanoTime();
        assertEquals(202, a.upgrade("/app", TOKEN).statusCode());
        b.await("/app/install/status", 30, Http.state("UPGRADE_RUNNING"));
        Set<Instant> heartbeats = new TreeSet<>();
        long lastLook = System.nanoTime();
        long longestGap = 0;
        try (Connection observer = DB.open()) {
            while (b.get("/app/install/status").body().contains("\"state\":\"UPGRADE_RUNNING\"")) {
                long second = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                LockInfo lock = UpgradeLock.inspect(observer, 60);
                if (lock.held()) {
                    assertFalse(lock.stale(STALE_SECONDS), "the lease went stale after " + second + " s: " + lock);
                    heartbeats.add(lock.heartbeat());
                }
                HttpResponse<String> overview = admin.get("/app/install/overview");
                if (overview.statusCode() == 404 && Http.state("UP").test(b.get("/app/install/status"))) {
                    break; // the upgrade ended in between, and the wizard closes once UP
                }
                assertEquals(200, overview.statusCode(), overview.body());
                assertFalse(overview.body().contains("Release the stale lock"), "the other node offered to release"
                        + " the running upgrade's lock after " + second + " s: " + lock);
                longestGap = Math.max(longestGap, System.nanoTime() - lastLook);
                lastLook = System.nanoTime();
                assertTrue(second < 90, "the upgrade did not end within 90 s");
                Thread.sleep(250);
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertTrue(seconds > STALE_SECONDS + 2, "the upgrade must outlive the stale threshold to prove anything,"
                + " but took " + seconds + " s");
        assertTrue(heartbeats.size() >= 4, "the heartbeat was renewed every " + STALE_SECONDS / 4
                + " s while the upgrade ran " + seconds + " s; seen: " + heartbeats);
        assertTrue(longestGap < TimeUnit.SECONDS.toNanos(STALE_SECONDS / 2), "the other node was asked throughout,"
                + " but once not for " + TimeUnit.NANOSECONDS.toMillis(longestGap) + " ms");
        b.await("/app/install/status", 30, Http.state("UP"));
        DatabaseChecks.assertRanOnce(DB.jdbcUrl(), bundle.ids());
    }

    /**
     * A lease taken over while its upgrade still runs (as another Galera node does when a long DDL held every commit,
     * heartbeats too, for longer than the stale limit): the upgrade finds out at its next heartbeat and stops before
     * its next changeset, rather than running beside the new holder.
     */
    @Test
    void anUpgradeWhoseLeaseWasTakenOverStopsBeforeItsNextChangeset() throws Exception {
        String url = DB.createDatabase("lost");
        TestBundle bundle = OutageReliabilityStory.slowBundle(DB.kind(), SLOW_CHANGESETS, 1);
        nodeA.deploy("/lost", bundle.directory(base.resolve("lost")).toString(), url);
        Http a = nodeA.http;
        a.await("/lost/install/status", 30, Http.state("NOT_INSTALLED"));
        assertEquals(202, a.upgrade("/lost", TOKEN).statusCode());
        try (Connection other = DriverManager.getConnection(url, DB.user(), DB.password());
             Statement sql = other.createStatement()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Sql.tableExists(other, "events") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertEquals(1, sql.executeUpdate("UPDATE UPGRADEGATE_LOCK SET OWNER = 'web-9 (pid 9) #0000000000000009'"));
        }
        a.await("/lost/install/status", 30, Http.state("UPGRADE_FAILED"));
        HttpResponse<String> failed = a.get("/lost/install/status", "Authorization", "Bearer " + TOKEN);
        assertTrue(failed.body().contains("taken over by another node"), failed.body());
        long ran = DatabaseChecks.count(url, "SELECT COUNT(*) FROM events");
        assertTrue(ran < SLOW_CHANGESETS, "the upgrade stopped at its next heartbeat, not after all "
                + SLOW_CHANGESETS + " changesets: " + ran);
        assertEquals(ran, DatabaseChecks.count(url, "SELECT COUNT(DISTINCT changeset) FROM events"),
                "no changeset ran twice");
    }
}
