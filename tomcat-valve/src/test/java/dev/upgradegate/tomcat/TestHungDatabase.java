package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * A database that accepts connections and never answers (a hung server, a blackholed route), behind both kinds of
 * connection: {@code /pooled} through its own JNDI pool, {@code /direct} through {@code jdbc.url}. Hundreds of
 * visitors must not take the host down: a neighbour webapp keeps answering within a second, the gated webapps
 * answer 503 within the documented bound, and come back by themselves.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestHungDatabase {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "hung-install-token-0123456789";
    static final int REFRESH_SECONDS = 1;
    static final int TIMEOUT_SECONDS = 2;
    /**
     * docs/operations.md: a check's round trips are bounded by db.timeoutSeconds, and an overrunning check is
     * abandoned at twice it.
     */
    static final long UNAVAILABLE_BOUND_MILLIS = TimeUnit.SECONDS.toMillis(REFRESH_SECONDS + 2 * TIMEOUT_SECONDS + 1);
    static final int VISITORS = 300;

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static Path bundle;

    @BeforeAll
    static void startTomcat() throws Exception {
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=" + REFRESH_SECONDS,
                "db.timeoutSeconds=" + TIMEOUT_SECONDS,
                "app.pooled.datasource=jdbc/ShopDB",
                "app.direct.jdbc.url=" + DB.proxiedJdbcUrl(),
                "app.direct.jdbc.user=" + DB.user(),
                "app.direct.jdbc.password=" + DB.password(),
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB);
        http = tomcat.http;
        bundle = new TestBundle("1.0.0").sql("notes", "CREATE TABLE notes (id INT PRIMARY KEY)").tag("1.0.0")
                .directory(base.resolve("bundle"));
        Path neighbour = Files.createDirectories(base.resolve("neighbour"));
        Files.writeString(neighbour.resolve("index.html"), "neighbour");
        tomcat.deploy("/neighbour", neighbour, "neighbour", DB.jdbcUrl());
        deployGated();
        http.await("/pooled/install/status", 30, Http.state("NOT_INSTALLED"));
        assertEquals(202, http.upgrade("/pooled", TOKEN).statusCode());
        http.await("/pooled/install/status", 30, Http.state("UP"));
        http.await("/direct/install/status", 30, Http.state("UP"));
    }

    static void deployGated() {
        tomcat.deploy("/pooled", bundle, "shop", DB.proxiedJdbcUrl());
        tomcat.deploy("/direct", bundle, "shop", DB.proxiedJdbcUrl());
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        DB.proxy().restore();
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    @Order(1)
    void aDatabaseThatHangsWhileUpTurnsUnavailableWithinTheBoundAndComesBack() throws Exception {
        DB.proxy().hang();
        long hungAt = System.nanoTime();
        try (Visitors visitors = new Visitors(VISITORS, "/pooled/", "/direct/")) {
            long pooled = awaitState("/pooled/install/status", "DB_UNAVAILABLE", hungAt);
            long direct = awaitState("/direct/install/status", "DB_UNAVAILABLE", hungAt);
            System.out.println("hung while UP: DB_UNAVAILABLE after " + pooled + " ms (JNDI pool), " + direct
                    + " ms (jdbc.url); bound " + UNAVAILABLE_BOUND_MILLIS + " ms");
            assertTrue(pooled <= UNAVAILABLE_BOUND_MILLIS, "JNDI pool: DB_UNAVAILABLE after " + pooled + " ms");
            assertTrue(direct <= UNAVAILABLE_BOUND_MILLIS, "jdbc.url: DB_UNAVAILABLE after " + direct + " ms");
            assertNeighbourAnswersWithinASecond(visitors);
        } finally {
            DB.proxy().restore();
        }
        long restoredAt = System.nanoTime();
        long pooledBack = awaitState("/pooled/install/status", "UP", restoredAt);
        long directBack = awaitState("/direct/install/status", "UP", restoredAt);
        System.out.println("database answers again: UP after " + pooledBack + " ms (JNDI pool), " + directBack
                + " ms (jdbc.url)");
        assertEquals(200, http.get("/pooled/").statusCode());
        assertEquals(200, http.get("/direct/").statusCode());
    }

    @Test
    @Order(2)
    void aRedeployOnAHungDatabaseHoldsNoRequestThread() throws Exception {
        tomcat.undeploy("/pooled");
        tomcat.undeploy("/direct");
        DB.proxy().hang();
        try {
            long deployStarted = System.nanoTime();
            deployGated();
            long deployMillis = millisSince(deployStarted);
            System.out.println("deploying both webapps on the hung database took " + deployMillis + " ms");
            try (Visitors visitors = new Visitors(VISITORS, "/pooled/", "/direct/")) {
                assertNeighbourAnswersWithinASecond(visitors);
                Map<Integer, Integer> seen = visitors.statuses();
                System.out.println("visitors of the gated webapps got " + seen);
                assertEquals(Map.of(503, seen.get(503)), seen, "only the gate's 503 may answer: " + seen);
                assertTrue(seen.get(503) > VISITORS, "every visitor was answered: " + seen);
            }
            long since = System.nanoTime();
            awaitState("/pooled/install/status", "DB_UNAVAILABLE", since);
            awaitState("/direct/install/status", "DB_UNAVAILABLE", since);
        } finally {
            DB.proxy().restore();
        }
        long restoredAt = System.nanoTime();
        System.out.println("after the redeploy, UP again " + awaitState("/pooled/install/status", "UP", restoredAt)
                + " ms (JNDI pool) and " + awaitState("/direct/install/status", "UP", restoredAt)
                + " ms (jdbc.url) after the database answered");
    }

    /** While the visitors hammer the gated webapps, the neighbour's slowest answer of 20 stays under a second. */
    private static void assertNeighbourAnswersWithinASecond(Visitors visitors) throws Exception {
        visitors.awaitBusy();
        long slowest = 0;
        for (int i = 0; i < 20; i++) {
            long started = System.nanoTime();
            HttpResponse<String> response = visitors.client.send(HttpRequest.newBuilder(
                    URI.create(tomcat.http.base() + "/neighbour/index.html")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            slowest = Math.max(slowest, millisSince(started));
            Thread.sleep(100);
        }
        System.out.println("neighbour under " + VISITORS + " visitors of the hung webapps: slowest of 20 answers "
                + slowest + " ms; " + visitors.statuses());
        assertTrue(slowest < 1000, "the neighbour took " + slowest + " ms");
    }

    private static long awaitState(String statusPath, String state, long since) throws InterruptedException {
        long deadline = since + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Http.state(state).test(http.get(statusPath))) {
                return millisSince(since);
            }
            Thread.sleep(50);
        }
        throw new AssertionError(statusPath + " never reached " + state + ": " + http.get(statusPath).body());
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** Concurrent visitors, each requesting the given pages in turn until closed, counting answers by status. */
    private static final class Visitors implements AutoCloseable {
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final ExecutorService threads;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final AtomicLong answered = new AtomicLong();

        Visitors(int count, String... paths) {
            threads = Executors.newFixedThreadPool(count);
            for (int i = 0; i < count; i++) {
                String path = paths[i % paths.length];
                threads.execute(() -> visit(path));
            }
        }

        private void visit(String path) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(tomcat.http.base() + path))
                    .timeout(Duration.ofSeconds(30)).build();
            while (running.get()) {
                int status;
                try {
                    status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception e) {
                    status = -1;
                }
                statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                answered.incrementAndGet();
            }
        }

        /** Waits until the visitors have been answered a few hundred times, so that the load is on. */
        void awaitBusy() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (answered.get() < 2L * VISITORS && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        Map<Integer, Integer> statuses() {
            Map<Integer, Integer> counts = new java.util.TreeMap<>();
            statuses.forEach((status, count) -> counts.put(status, count.get()));
            return counts;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            threads.shutdown();
            threads.awaitTermination(60, TimeUnit.SECONDS);
        }
    }
}
