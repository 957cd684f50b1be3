package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Manual maintenance on two nodes (two embedded Tomcats) sharing one real database: turned on at one
 * node, seen at the other; the bypass cookie one node issues opens the other; ignored paths pass; it is
 * turned off from the other node, and expires by itself. Told once per kind of database by a subclass that
 * registers it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class MaintenanceAcrossNodesStory {

    static final String TOKEN = "maintenance-token-0123456789";
    static final Pattern BYPASS = Pattern.compile("\"bypass\":\"([^\"]+)\"");

    /** Static: JUnit gives an instance field a new folder for every test method, and Tomcat lives in this one. */
    @TempDir
    static Path base;

    final TestDatabase db;
    EmbeddedTomcat nodeA;
    EmbeddedTomcat nodeB;
    Http a;
    Http b;
    LogCapture log;
    String bypassPath;

    MaintenanceAcrossNodesStory(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void startTwoNodes() throws Exception {
        log = new LogCapture();
        Path config = GateConfig.write(base, TOKEN,
                "app.shop.datasource=jdbc/ShopDB",
                "app.shop.ignore=/static/**, /healthz");
        nodeA = new EmbeddedTomcat(base.resolve("a"), config, db, "NodeA");
        nodeB = new EmbeddedTomcat(base.resolve("b"), config, db, "NodeB");
        a = nodeA.http;
        b = nodeB.http;
        nodeA.deploy("/shop", "shop-1.0.0.war", db.jdbcUrl());
        nodeB.deploy("/shop", "shop-1.0.0.war", db.jdbcUrl());
        assertEquals(202, a.upgrade("/shop", TOKEN).statusCode());
        a.await("/shop/install/status", 60, Http.state("UP"));
        b.await("/shop/install/status", 60, Http.state("UP"));
    }

    @AfterAll
    void stop() throws Exception {
        EmbeddedTomcat.closeNodes(nodeB, nodeA);
        log.close();
    }

    static HttpResponse<String> on(Http node, String body, String contentType) {
        return node.sendBody("POST", "/shop/install/maintenance", body, "Authorization", "Bearer " + TOKEN,
                "Content-Type", contentType);
    }

    @Test
    @Order(1)
    void maintenanceNeedsTheToken() {
        HttpResponse<String> anonymous = a.sendBody("POST", "/shop/install/maintenance", "{}",
                "Content-Type", "application/json");
        assertEquals(401, anonymous.statusCode());
        assertEquals(200, a.get("/shop/products").statusCode(), "still up");
        HttpResponse<String> bad = on(a, "{\"minutes\": \"soon\"}", "application/json");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("minutes must be a whole number"), bad.body());
    }

    @Test
    @Order(2)
    void turnedOnAtOneNodeIsSeenAtTheOther() {
        HttpResponse<String> turned = on(a, "{\"message\": \"Back at <b>noon</b> & later\", \"minutes\": 30}",
                "application/json");
        assertEquals(200, turned.statusCode(), turned.body());
        assertTrue(turned.body().contains("\"state\":\"MAINTENANCE\""), turned.body());
        Matcher bypass = BYPASS.matcher(turned.body());
        assertTrue(bypass.find(), turned.body());
        bypassPath = bypass.group(1);

        HttpResponse<String> page = a.get("/shop/products", "Accept", "text/html");
        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("Err 8"), page.body());
        assertTrue(page.body().contains("Back at &lt;b&gt;noon&lt;/b&gt; &amp; later"), page.body());
        long retryAfter = Long.parseLong(page.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter > 29 * 60 && retryAfter <= 30 * 60, "Retry-After counts down to the end: " + retryAfter);

        b.await("/shop/install/status", 30, Http.state("MAINTENANCE"));
        HttpResponse<String> json = b.get("/shop/products", "Accept", "application/json");
        assertEquals(503, json.statusCode());
        assertTrue(json.body().contains("\"state\":\"MAINTENANCE\""), json.body());
        assertTrue(json.body().contains("\"code\":\"Err 8\""), json.body());
    }

    @Test
    @Order(3)
    void ignoredPathsPassWhileEverythingElseWaits() {
        assertEquals(200, b.get("/shop/static/style.css").statusCode());
        assertEquals(200, b.get("/shop/static/hello.html").statusCode());
        assertEquals(404, b.get("/shop/healthz").statusCode(), "reaches the webapp, which has no such page");
        assertEquals(503, b.get("/shop/static.css").statusCode(), "/static/** is a folder, not a prefix");
        assertEquals(503, b.get("/shop/").statusCode());
    }

    @Test
    @Order(4)
    void bypassCookieFromOneNodeOpensTheOther() {
        HttpResponse<String> wrong = a.get("/shop/install/bypass/not-the-secret-at-all");
        assertEquals(404, wrong.statusCode());
        assertFalse(wrong.headers().firstValue("Set-Cookie").isPresent());

        HttpResponse<String> issued = a.get(bypassPath);
        assertEquals(303, issued.statusCode());
        assertEquals("/shop/", issued.headers().firstValue("Location").orElse(""));
        String setCookie = issued.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(setCookie.startsWith("upgradegate_bypass="), setCookie);
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        HttpResponse<String> through = b.get("/shop/products", "Cookie", cookie);
        assertEquals(200, through.statusCode(), "the cookie of node A lets its holder through node B");
        assertEquals(503, b.get("/shop/products").statusCode(), "everyone else still waits");
    }

    @Test
    @Order(5)
    void forgedAndExpiredCookiesAreRefused() throws Exception {
        String secret = bypassPath.substring(bypassPath.lastIndexOf('/') + 1);
        long future = Instant.now().getEpochSecond() + 600;
        String forged = "upgradegate_bypass=" + future + "." + sign("a-guessed-secret-123456", future);
        assertEquals(503, b.get("/shop/products", "Cookie", forged).statusCode());
        String tampered = "upgradegate_bypass=" + (future + 3600) + "." + sign(secret, future);
        assertEquals(503, b.get("/shop/products", "Cookie", tampered).statusCode(), "a longer expiry breaks the signature");
        long past = Instant.now().getEpochSecond() - 1;
        String expired = "upgradegate_bypass=" + past + "." + sign(secret, past);
        assertEquals(503, b.get("/shop/products", "Cookie", expired).statusCode());
        String valid = "upgradegate_bypass=" + future + "." + sign(secret, future);
        assertEquals(200, b.get("/shop/products", "Cookie", valid).statusCode(), "the same format, rightly signed, passes");
        assertEquals(503, b.get("/shop/products", "Cookie", "upgradegate_bypass=garbage").statusCode());
    }

    /** What a holder of the secret could sign: the webapp's name, a zero byte and the expiry. */
    private static String sign(String secret, long expiry) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update("shop".getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(Long.toString(expiry).getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    @Order(6)
    void turnedOffAtTheOtherNode() {
        HttpResponse<String> off = b.send("DELETE", "/shop/install/maintenance", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, off.statusCode(), off.body());
        assertTrue(off.body().contains("\"state\":\"UP\""), off.body());
        assertEquals(200, b.get("/shop/products").statusCode());
        a.await("/shop/install/status", 30, Http.state("UP"));
        assertEquals(200, a.get("/shop/products").statusCode());
        assertEquals(404, a.get(bypassPath).statusCode(), "the bypass URL ends with the maintenance");
    }

    @Test
    @Order(7)
    void expiresByItselfAtTheEndTime() {
        Instant until = Instant.now().plusSeconds(3);
        HttpResponse<String> turned = on(a, "message=Quick+restart&until=" + until, "application/x-www-form-urlencoded");
        assertEquals(200, turned.statusCode(), turned.body());
        // The answer itself shows it on: a request after it could already be past a slow machine's 3 s.
        assertTrue(turned.body().contains("\"maintenance\":true") && turned.body().contains("Quick restart")
                && turned.body().contains("\"until\":\"" + until.truncatedTo(ChronoUnit.MILLIS) + "\""), turned.body());
        a.await("/shop/install/status", 30, Http.state("UP"));
        assertFalse(Instant.now().isBefore(until), "maintenance ended before its end time " + until);
        b.await("/shop/install/status", 30, Http.state("UP"));
        assertEquals(200, b.get("/shop/products").statusCode());
    }

    @Test
    @Order(8)
    void offByPostAndNothingLoggedPerRequestNorAnySecret() {
        HttpResponse<String> turned = on(a, "", "application/x-www-form-urlencoded");
        assertTrue(turned.body().contains("\"maintenance\":true"), turned.body());
        assertEquals(503, a.get("/shop/products").statusCode(), "maintenance is on before it is turned off");
        HttpResponse<String> off = a.send("POST", "/shop/install/maintenance/off", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, off.statusCode());
        assertTrue(off.body().contains("\"state\":\"UP\"") && off.body().contains("\"maintenance\":false"), off.body());
        assertEquals(200, a.get("/shop/products").statusCode());

        int before = gateLines().size();
        for (int i = 0; i < 50; i++) {
            assertEquals(200, a.get("/shop/products").statusCode());
        }
        assertEquals(before, gateLines().size(), "nothing is logged per request: " + gateLines());
        String secret = bypassPath.substring(bypassPath.lastIndexOf('/') + 1);
        assertFalse(log.any(secret), "the bypass secret is never logged");
        assertFalse(log.any(TOKEN), "the token is never logged");
        assertTrue(log.any("shop: UP -> MAINTENANCE"), "state changes are logged");
        assertTrue(log.any("maintenance turned on by"), "who turned it on is logged");
    }

    private List<String> gateLines() {
        return log.lines().stream().filter(line -> line.contains(" dev.upgradegate")).toList();
    }
}
