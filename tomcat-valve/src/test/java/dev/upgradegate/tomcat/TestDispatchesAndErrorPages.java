package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * A shop with error pages for 404, 500, 503, every exception and the default, which record that they ran, and
 * servlets that forward, include and dispatch asynchronously (see {@link RecordingServlets}), on embedded Tomcat
 * 11 with the valve and a real database: the gate's 503 is written directly, so those error pages never run
 * while the shop is gated; and the gate acts once per request, never on a dispatch inside it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestDispatchesAndErrorPages {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "dispatches-token-0123456789";
    static final String AUTH_JSON = "application/json";

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "app.shop.datasource=jdbc/ShopDB",
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB);
        http = tomcat.http;
        Path shop = new TestBundle("1.0.0")
                .sql("create-visit", "CREATE TABLE visit (id INT PRIMARY KEY)")
                .tag("1.0.0")
                .file("WEB-INF/web.xml", RecordingServlets.WEB_XML)
                .directory(base.resolve("shop"));
        tomcat.deploy("/shop", shop, "shop", DB.jdbcUrl());
        http.await("/shop/install/status", 60, Http.state("NOT_INSTALLED"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    @Order(1)
    void theShopsErrorPagesNeverRunWhileItIsGated() {
        for (String path : new String[] {"/shop/", "/shop/no-such-page", "/shop/target", "/shop/forward",
                "/shop/include", "/shop/error-page", "/shop/install/no-such-page"}) {
            for (String accept : new String[] {"text/html", "application/json", "*/*"}) {
                HttpResponse<String> answer = http.get(path, "Accept", accept);
                assertEquals(503, answer.statusCode(), path + " " + answer.body());
                assertFalse(answer.body().contains("the shop's own error page") || answer.body().contains("target"),
                        path + ": " + answer.body());
            }
        }
        assertEquals(503, http.send("POST", "/shop/target").statusCode());
        assertEquals(0, RecordingServlets.RUNS.size(), "nothing of the shop ran: " + RecordingServlets.RUNS);
    }

    /** The same error pages do run for the shop's own errors once it is UP: they would have betrayed the gate. */
    @Test
    @Order(2)
    void onceUpTheSameErrorPagesRun() {
        HttpResponse<String> started = http.upgrade("/shop", TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        http.await("/shop/install/status", 60, Http.state("UP"));
        HttpResponse<String> missing = http.get("/shop/no-such-page");
        assertEquals(404, missing.statusCode());
        assertEquals("the shop's own error page", missing.body());
        assertEquals(1, RecordingServlets.runs("ErrorPage ERROR"));
    }

    @Test
    @Order(3)
    void forwardsAndIncludesReachTheirTargetOnce() {
        HttpResponse<String> forwarded = http.get("/shop/forward");
        assertEquals(200, forwarded.statusCode());
        assertEquals("target FORWARD", forwarded.body());
        HttpResponse<String> included = http.get("/shop/include");
        assertEquals(200, included.statusCode());
        assertEquals("included: target INCLUDE", included.body());
        assertEquals(1, RecordingServlets.runs("Forward REQUEST"));
        assertEquals(1, RecordingServlets.runs("Target FORWARD"));
        assertEquals(1, RecordingServlets.runs("Include REQUEST"));
        assertEquals(1, RecordingServlets.runs("Target INCLUDE"));
    }

    /**
     * A request the gate let through while UP is finished by the webapp, even when maintenance begins before its
     * async dispatch: Tomcat sends that dispatch through the Host's pipeline again, and the gate must not answer
     * it a second time (a 503 in the middle of the webapp's own response).
     */
    @Test
    @Order(4)
    void anAsyncDispatchOfARequestLetThroughIsNotGatedAgain() throws Exception {
        RecordingServlets.asyncStarted = new CountDownLatch(1);
        RecordingServlets.dispatchNow = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> pending = CompletableFuture.supplyAsync(() -> http.get("/shop/async"));
        assertTrue(RecordingServlets.asyncStarted.await(30, TimeUnit.SECONDS), "the async servlet never started");

        HttpResponse<String> on = http.sendBody("POST", "/shop/install/maintenance", "{\"message\": \"back soon\"}",
                "Authorization", "Bearer " + TOKEN, "Content-Type", AUTH_JSON);
        assertEquals(200, on.statusCode(), on.body());
        assertEquals(503, http.get("/shop/target").statusCode(), "new requests are gated");
        RecordingServlets.dispatchNow.countDown();

        HttpResponse<String> finished = pending.get(30, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), finished.body());
        assertEquals("target ASYNC", finished.body());
        assertEquals(1, RecordingServlets.runs("Async REQUEST"));
        assertEquals(1, RecordingServlets.runs("Target ASYNC"));
        assertEquals(0, RecordingServlets.runs("Target REQUEST"), "the gated request never reached the shop");
    }

    @Test
    @Order(5)
    void maintenanceAnswersDirectlyToo() {
        int errorPages = RecordingServlets.runs("ErrorPage ERROR");
        for (String path : new String[] {"/shop/no-such-page", "/shop/forward", "/shop/"}) {
            HttpResponse<String> answer = http.get(path, "Accept", "text/html");
            assertEquals(503, answer.statusCode());
            assertTrue(answer.body().contains("Err 8") && answer.body().contains("back soon"), answer.body());
        }
        assertEquals(errorPages, RecordingServlets.runs("ErrorPage ERROR"), "no error page ran in maintenance");
        assertEquals(0, RecordingServlets.runs("ErrorPage REQUEST"));
    }
}
