package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.Base64;
import java.util.stream.Stream;

import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.migrations.LeftLock;
import dev.upgradegate.migrations.UpgradeLock;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Every protection of the install wizard, over plain HTTP in embedded Tomcat 11 with a RemoteIpValve in
 * front and 127.0.0.1 declared a trusted proxy, so that the tests can speak from other addresses and over
 * "HTTPS" as a proxy would report it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestInstallProtections {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "protections-test-token-0123456789";
    static final String ALLOWED_REMOTE = "198.51.100.7";
    static final String[] VIA_HTTPS = {"X-Forwarded-For", ALLOWED_REMOTE, "X-Forwarded-Proto", "https"};

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static String root;
    static Path backups;

    @BeforeAll
    static void start() throws Exception {
        backups = base.resolve("backups");
        Path config = base.resolve("upgradegate.properties");
        Files.writeString(config, String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "install.allow=127.0.0.0/8, ::1/128, 198.51.100.0/24",
                "install.trustedProxies=127.0.0.1/32",
                "install.requireSecure=true",
                "install.signInLimit=5",
                "backup.dir=" + backups,
                "app.shop.datasource=jdbc/ShopDB",
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB);
        tomcat.addEngineValve(new RemoteIpValve());
        http = tomcat.http;
        root = "http://127.0.0.1:" + http.get("/").uri().getPort();
        tomcat.deploy("/shop", "shop-1.0.0.war", DB.jdbcUrl());
        assertEquals(202, http.upgrade("/shop", TOKEN).statusCode(), "the Bearer API installs 1.0.0");
        http.await("/shop/install/status", 60, Http.state("UP"));
        tomcat.undeploy("/shop");
        tomcat.deploy("/shop", "shop-2.0.0.war", DB.jdbcUrl());
        http.await("/shop/install/status", 60, Http.state("UPGRADE_REQUIRED"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    static WizardClient client(String... headers) {
        return new WizardClient(root, headers);
    }

    static void assertStillRequired() {
        assertTrue(http.get("/shop/install/status").body().contains("UPGRADE_REQUIRED"), "nothing started");
    }

    static long backupFiles() throws Exception {
        if (!Files.exists(backups)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(backups)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    static void assertSecurityHeaders(HttpResponse<String> response) throws Exception {
        String where = response.request().method() + " " + response.uri() + " -> " + response.statusCode();
        String csp = response.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("frame-ancestors 'none'"), where + ": " + csp);
        assertTrue(csp.contains("default-src 'none'"), where + ": " + csp);
        assertFalse(csp.contains("unsafe-inline") || csp.contains("unsafe-eval") || csp.contains("http"), where + ": " + csp);
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""), where);
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(""), where);
        assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""), where);
        for (String script : WizardClient.scripts(response.body())) {
            String hash = Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
            assertTrue(csp.contains("'sha256-" + hash + "'"), where + ": every inline script is allowed by its hash");
        }
        assertFalse(response.body().contains(" style=\"") || response.body().contains("<script src")
                || response.body().contains("<link"), where + ": nothing loaded from elsewhere, no inline style");
    }

    @Test
    @Order(1)
    void everyPageSendsTheSecurityHeaders() throws Exception {
        WizardClient admin = client();
        assertSecurityHeaders(admin.get("/shop/install/"));
        assertSecurityHeaders(admin.get("/shop/install/signin"));
        assertSecurityHeaders(admin.post("/shop/install/signin", "csrf", admin.csrf, "token", "wrong-token-0000000000"));
        assertSecurityHeaders(admin.signIn("/shop", TOKEN));
        for (String page : new String[] {"/", "/overview", "/update-sql", "/update.sql", "/backup", "/start", "/health",
                "/progress", "/result", "/log", "/progress.json", "/status", "/no-such-page"}) {
            assertSecurityHeaders(admin.get("/shop/install" + page));
        }
        assertSecurityHeaders(admin.post("/shop/install/start"));
        assertSecurityHeaders(http.get("/shop/products"));
        HttpResponse<String> overview = admin.get("/shop/install/overview");
        assertTrue(overview.body().contains("UPGRADE_REQUIRED") && overview.body().contains("2.0.0-create-category"),
                overview.body());
    }

    @Test
    @Order(2)
    void noTokenOrAWrongTokenDoesNotSignIn() {
        WizardClient stranger = client();
        stranger.get("/shop/install/signin");
        String before = stranger.cookie;
        HttpResponse<String> none = stranger.post("/shop/install/signin", "csrf", stranger.csrf);
        assertEquals(401, none.statusCode());
        HttpResponse<String> wrong = stranger.post("/shop/install/signin", "csrf", stranger.csrf, "token", TOKEN + "x");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("not the install token"), wrong.body());
        assertFalse(wrong.body().contains(TOKEN), "the token never appears");
        assertEquals(before, stranger.cookie, "no new session");
        HttpResponse<String> overview = stranger.get("/shop/install/overview");
        assertEquals(303, overview.statusCode());
        assertTrue(overview.headers().firstValue("Location").orElse("").endsWith("/shop/install/signin"));
        assertEquals(403, client().post("/shop/install/signin", "token", TOKEN).statusCode(),
                "a sign-in without the form's CSRF token is refused, even with the right token");
    }

    @Test
    @Order(3)
    void failedSignInsAreRateLimitedPerClientAddress() {
        WizardClient guesser = client("X-Forwarded-For", "198.51.100.20", "X-Forwarded-Proto", "https");
        guesser.get("/shop/install/signin");
        for (int i = 1; i <= 5; i++) {
            assertEquals(401, guesser.post("/shop/install/signin", "csrf", guesser.csrf, "token", "guess-" + i).statusCode(),
                    "attempt " + i);
        }
        HttpResponse<String> limited = guesser.post("/shop/install/signin", "csrf", guesser.csrf, "token", "guess-6");
        assertEquals(429, limited.statusCode());
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(429, guesser.post("/shop/install/signin", "csrf", guesser.csrf, "token", TOKEN).statusCode(),
                "even the right token waits");
        WizardClient neighbour = client("X-Forwarded-For", "198.51.100.21", "X-Forwarded-Proto", "https");
        assertEquals(303, neighbour.signIn("/shop", TOKEN).statusCode(), "another address is not affected");
    }

    @Test
    @Order(4)
    void theSessionCookieIsScopedHttpOnlyStrictAndSecureOverHttps() {
        WizardClient plain = client();
        plain.get("/shop/install/signin");
        String anonymous = plain.cookie;
        HttpResponse<String> signedIn = plain.post("/shop/install/signin", "csrf", plain.csrf, "token", TOKEN);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(cookie.contains("Path=/shop/install;") && cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"), cookie);
        assertNotEquals(anonymous, plain.cookie, "signing in issues a new session id");

        WizardClient proxied = client(VIA_HTTPS);
        HttpResponse<String> secure = proxied.signIn("/shop", TOKEN);
        assertEquals(303, secure.statusCode());
        assertTrue(secure.headers().firstValue("Set-Cookie").orElse("").contains("; Secure"),
                "Secure when the proxy says the request came over HTTPS");
    }

    @Test
    @Order(5)
    void aMissingOrWrongCsrfTokenChangesNothing() throws Exception {
        WizardClient admin = client();
        admin.signIn("/shop", TOKEN);
        admin.get("/shop/install/backup");
        long files = backupFiles();
        assertEquals(403, admin.post("/shop/install/backup", "action", "make").statusCode());
        assertEquals(403, admin.post("/shop/install/backup", "action", "make", "csrf", admin.csrf + "x").statusCode());
        assertEquals(files, backupFiles(), "no backup was made");
        assertEquals(403, admin.post("/shop/install/start").statusCode());
        assertEquals(403, admin.post("/shop/install/start", "csrf", "forged").statusCode());
        WizardClient other = client();
        other.signIn("/shop", TOKEN);
        assertEquals(403, admin.post("/shop/install/start", "csrf", other.csrf).statusCode(),
                "another session's token does not do");
        assertEquals(403, admin.post("/shop/install/signout").statusCode());
        assertEquals(200, admin.get("/shop/install/overview").statusCode(), "still signed in");
        assertStillRequired();
    }

    @Test
    @Order(6)
    void aGetNeverChangesAnything() throws Exception {
        WizardClient admin = client();
        admin.signIn("/shop", TOKEN);
        long files = backupFiles();
        for (String page : new String[] {"/start", "/backup", "/licence", "/update-sql", "/update.sql", "/overview",
                "/start?csrf=" + admin.csrf, "/backup?action=make&csrf=" + admin.csrf}) {
            assertTrue(admin.get("/shop/install" + page).statusCode() < 400, page);
        }
        assertEquals(405, admin.get("/shop/install/signout").statusCode());
        assertEquals(405, http.get("/shop/install/upgrade", "Authorization", "Bearer " + TOKEN).statusCode());
        assertEquals(files, backupFiles());
        assertStillRequired();
        assertEquals(200, admin.get("/shop/install/overview").statusCode(), "GET signout did not sign out");
    }

    @Test
    @Order(7)
    void addressesOutsideInstallAllowGetNotFound() {
        WizardClient outsider = client("X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https");
        for (String page : new String[] {"/", "/signin", "/overview", "/status"}) {
            HttpResponse<String> response = outsider.get("/shop/install" + page);
            assertEquals(404, response.statusCode(), page);
            assertFalse(response.body().contains("UpgradeGate"), page);
        }
        assertEquals(404, outsider.post("/shop/install/signin", "token", TOKEN).statusCode());
        assertEquals(404, http.send("POST", "/shop/install/upgrade", "Authorization", "Bearer " + TOKEN,
                "X-Forwarded-For", "203.0.113.9").statusCode());
        assertEquals(503, http.get("/shop/products", "X-Forwarded-For", "203.0.113.9").statusCode(),
                "the rest of the webapp is gated as before");
        assertStillRequired();
    }

    @Test
    @Order(8)
    void plainHttpIsRefusedExceptFromLoopback() {
        WizardClient remote = client("X-Forwarded-For", ALLOWED_REMOTE);
        HttpResponse<String> refused = remote.get("/shop/install/signin");
        assertEquals(403, refused.statusCode());
        for (String wayForward : new String[] {"ssh -L", "HTTPS connector", "RemoteIpValve", "X-Forwarded-Proto",
                "install.trustedProxies", "install.requireSecure=false"}) {
            assertTrue(refused.body().contains(wayForward), "the refusal names the ways forward: " + refused.body());
        }
        assertEquals(403, remote.get("/shop/install/").statusCode());
        assertEquals(403, http.send("POST", "/shop/install/upgrade", "Authorization", "Bearer " + TOKEN,
                "X-Forwarded-For", ALLOWED_REMOTE).statusCode());
        assertFalse(http.get("/shop/install/status", "Authorization", "Bearer " + TOKEN, "X-Forwarded-For", ALLOWED_REMOTE)
                .body().contains("bundleVersion"), "no detail over plain HTTP from afar");
        assertStillRequired();

        WizardClient overHttps = client(VIA_HTTPS);
        assertEquals(200, overHttps.get("/shop/install/signin").statusCode());
        assertEquals(200, client().get("/shop/install/signin").statusCode(), "loopback may use plain HTTP");
    }

    @Test
    @Order(9)
    void aStaleLockIsReleasedFromTheWizardWithItsCsrfTokenOnly() throws Exception {
        // A node that took the lock and died, as a SIGKILL or a power cut leaves it.
        Connection killed = DB.open();
        assertNotNull(UpgradeLock.tryAcquire(killed, "web-9 (pid 4242)", LeftLock.NONE, 60));
        killed.abort(Runnable::run);
        http.await("/shop/install/status", 30, r -> r.body().contains("was interrupted"),
                "Authorization", "Bearer " + TOKEN);
        assertTrue(http.get("/shop/install/status").body().contains("UPGRADE_FAILED"));

        WizardClient admin = client();
        admin.signIn("/shop", TOKEN);
        String overview = admin.get("/shop/install/overview").body();
        assertTrue(overview.contains("Release the stale lock") && overview.contains("web-9 (pid 4242)"), overview);
        assertEquals(405, admin.get("/shop/install/unlock").statusCode(), "a GET never releases");
        assertEquals(403, admin.post("/shop/install/unlock").statusCode());
        assertEquals(403, admin.post("/shop/install/unlock", "csrf", "forged").statusCode());
        try (Connection observer = DB.open()) {
            assertTrue(UpgradeLock.inspect(observer, 60).interrupted(), "still there without the right CSRF token");
            assertEquals(303, admin.post("/shop/install/unlock", "csrf", admin.csrf).statusCode());
            assertFalse(UpgradeLock.inspect(observer, 60).interrupted());
        }
        http.await("/shop/install/status", 30, Http.state("UPGRADE_REQUIRED"));
        assertFalse(admin.get("/shop/install/overview").body().contains("Release the stale lock"));
    }

    @Test
    @Order(10)
    void maintenanceIsTurnedOnAndOffFromTheWizardWithItsCsrfTokenOnly() throws Exception {
        WizardClient admin = client();
        admin.signIn("/shop", TOKEN);
        assertTrue(admin.get("/shop/install/overview").body().contains("Turn maintenance on"));
        assertEquals(405, admin.get("/shop/install/site-maintenance").statusCode(), "a GET never changes anything");
        assertEquals(403, admin.post("/shop/install/site-maintenance", "action", "on").statusCode());
        assertEquals(403, admin.post("/shop/install/site-maintenance", "csrf", "forged", "action", "on").statusCode());
        HttpResponse<String> bad = admin.post("/shop/install/site-maintenance", "csrf", admin.csrf, "action", "on",
                "minutes", "soon");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("minutes must be a whole number"), bad.body());
        assertEquals(0, maintenanceRows());

        assertEquals(303, admin.post("/shop/install/site-maintenance", "csrf", admin.csrf, "action", "on",
                "message", "Checking <the> upgrade", "minutes", "20").statusCode());
        assertEquals(1, maintenanceRows(), "the same shared row as the API's");
        String overview = admin.get("/shop/install/overview").body();
        assertTrue(overview.contains("Maintenance is on until ") && overview.contains("Checking &lt;the&gt; upgrade")
                && overview.contains("/shop/install/bypass/") && overview.contains("Turn maintenance off"), overview);
        assertStillRequired();

        assertEquals(303, admin.post("/shop/install/site-maintenance", "csrf", admin.csrf, "action", "off").statusCode());
        assertEquals(0, maintenanceRows());
        assertTrue(admin.get("/shop/install/overview").body().contains("Turn maintenance on"));
    }

    static int maintenanceRows() throws Exception {
        try (Connection connection = DB.open(); java.sql.Statement sql = connection.createStatement();
             java.sql.ResultSet count = sql.executeQuery("SELECT COUNT(*) FROM UPGRADEGATE_MAINTENANCE")) {
            assertTrue(count.next());
            return count.getInt(1);
        } catch (java.sql.SQLException e) {
            if (e.getErrorCode() == 1146) {
                return 0; // created on first use
            }
            throw e;
        }
    }

    @Test
    @Order(11)
    void afterASuccessfulUpgradeTheEndpointIsClosed() throws Exception {
        WizardClient admin = client(VIA_HTTPS);
        assertEquals(303, admin.signIn("/shop", TOKEN).statusCode());
        assertEquals(303, admin.makeBackup("/shop", 60).statusCode());
        assertEquals(1, backupFiles());
        assertEquals(303, admin.post("/shop/install/start", "csrf", admin.csrf).statusCode());
        HttpResponse<String> progress = admin.get("/shop/install/progress.json");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (progress.statusCode() == 200 && progress.body().contains("\"running\":true") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            progress = admin.get("/shop/install/progress.json");
        }
        HttpResponse<String> result = admin.get("/shop/install/result");
        assertEquals(200, result.statusCode(), result.body());
        assertTrue(result.body().contains("Upgraded to 2.0.0"), result.body());

        http.await("/shop/install/status", 60, Http.state("UP"));
        for (String stale : new String[] {"/result", "/progress"}) {
            HttpResponse<String> done = admin.get("/shop/install" + stale);
            assertEquals(200, done.statusCode(), stale);
            assertTrue(done.body().contains("The upgrade is done") && !done.body().contains("Upgraded to")
                    && !done.body().contains("2.0.0"), "the success page is shown once, then only that it is done: "
                    + done.body());
        }
        for (String page : new String[] {"/", "/signin", "/overview", "/backup"}) {
            assertEquals(404, admin.get("/shop/install" + page).statusCode(), page);
        }
        assertEquals(404, http.upgrade("/shop", TOKEN).statusCode());
        assertEquals(200, http.get("/shop/products").statusCode());
        HttpResponse<String> status = http.get("/shop/install/status", "Authorization", "Bearer " + TOKEN);
        assertTrue(status.body().contains("\"state\":\"UP\"") && status.body().contains("\"upgrades\":[")
                && status.body().contains("\"client\":\"" + ALLOWED_REMOTE + "\"")
                && status.body().contains("2.0.0-create-category"), status.body());
    }

    @Test
    @Order(12)
    void theMaintenanceApiAndTheBypassUrlFollowTheSameRules() {
        String[] outsider = {"Authorization", "Bearer " + TOKEN, "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https",
            "Content-Type", "application/x-www-form-urlencoded"};
        String[] plainRemote = {"Authorization", "Bearer " + TOKEN, "X-Forwarded-For", ALLOWED_REMOTE,
            "Content-Type", "application/x-www-form-urlencoded"};
        String[] overHttps = {"Authorization", "Bearer " + TOKEN, "X-Forwarded-For", ALLOWED_REMOTE, "X-Forwarded-Proto", "https",
            "Content-Type", "application/x-www-form-urlencoded"};
        assertEquals(404, http.sendBody("POST", "/shop/install/maintenance", "minutes=5", outsider).statusCode());
        assertEquals(404, http.send("GET", "/shop/install/maintenance", outsider).statusCode());
        assertEquals(403, http.sendBody("POST", "/shop/install/maintenance", "minutes=5", plainRemote).statusCode(),
                "the token never travels in clear from afar");
        assertEquals(200, http.get("/shop/products").statusCode(), "neither turned maintenance on");

        HttpResponse<String> on = http.sendBody("POST", "/shop/install/maintenance", "message=Back+soon&minutes=5", overHttps);
        assertEquals(200, on.statusCode(), on.body());
        java.util.regex.Matcher bypass = java.util.regex.Pattern.compile("\"bypass\":\"([^\"]+)\"").matcher(on.body());
        assertTrue(bypass.find(), on.body());
        assertEquals(503, http.get("/shop/products").statusCode());

        assertEquals(404, http.get(bypass.group(1), "X-Forwarded-For", "203.0.113.9", "X-Forwarded-Proto", "https")
                .statusCode(), "an address outside install.allow cannot use the bypass URL");
        HttpResponse<String> plain = http.get(bypass.group(1), "X-Forwarded-For", ALLOWED_REMOTE);
        assertEquals(403, plain.statusCode(), "nor plain HTTP from afar");
        assertFalse(plain.headers().firstValue("Set-Cookie").isPresent());
        HttpResponse<String> issued = http.get(bypass.group(1), "X-Forwarded-For", ALLOWED_REMOTE, "X-Forwarded-Proto", "https");
        assertEquals(303, issued.statusCode());
        assertTrue(issued.headers().firstValue("Set-Cookie").orElse("").contains("; Secure"));

        assertEquals(404, http.send("DELETE", "/shop/install/maintenance", outsider).statusCode());
        assertEquals(403, http.send("DELETE", "/shop/install/maintenance", plainRemote).statusCode());
        assertEquals(503, http.get("/shop/products").statusCode(), "still in maintenance");
        assertEquals(200, http.send("DELETE", "/shop/install/maintenance", "Authorization", "Bearer " + TOKEN).statusCode(),
                "loopback may use plain HTTP");
        assertEquals(200, http.get("/shop/products").statusCode());
    }

    @Test
    @Order(13)
    void inMaintenanceTheWizardIsOpenAndTurnsItOff() throws Exception {
        WizardClient admin = client();
        assertEquals(404, admin.get("/shop/install/signin").statusCode(), "closed while UP");
        assertEquals(200, http.send("POST", "/shop/install/maintenance", "Authorization", "Bearer " + TOKEN).statusCode());
        assertEquals(503, http.get("/shop/products").statusCode());
        assertEquals(303, admin.signIn("/shop", TOKEN).statusCode(), "MAINTENANCE is not UP: the wizard opens");
        assertTrue(admin.get("/shop/install/overview").body().contains("Turn maintenance off"));
        assertEquals(403, admin.post("/shop/install/site-maintenance", "action", "off").statusCode());
        assertEquals(503, http.get("/shop/products").statusCode());
        assertEquals(303, admin.post("/shop/install/site-maintenance", "csrf", admin.csrf, "action", "off").statusCode());
        assertEquals(200, http.get("/shop/products").statusCode());
        assertEquals(404, admin.get("/shop/install/overview").statusCode(), "UP again: closed again");
    }
}
