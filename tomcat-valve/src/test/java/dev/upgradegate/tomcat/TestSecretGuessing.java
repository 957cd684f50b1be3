package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Online guessing of every secret UpgradeGate checks, and whose address counts, in embedded Tomcat 11
 * behind a RemoteIpValve at its defaults. Attackers speak through the trusted proxy 127.0.0.1 with
 * X-Forwarded-For; the administrator is the TCP peer 127.0.0.2, which never failed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestSecretGuessing {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "guessing-test-token-0123456789";
    static final String ADMIN = "127.0.0.2";
    static final Pattern GUESS = Pattern.compile("guess-[0-9a-z.-]+");

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static int port;
    static LogCapture log;
    static final List<String> attackers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        log = new LogCapture();
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "install.trustedProxies=127.0.0.1/32",
                "install.signInLimit=5",
                "app.shop.datasource=jdbc/ShopDB",
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB);
        tomcat.addEngineValve(new RemoteIpValve());
        http = tomcat.http;
        port = http.get("/").uri().getPort();
        tomcat.deploy("/shop", "shop-1.0.0.war", DB.jdbcUrl());
        http.await("/shop/install/status", 60, Http.state("NOT_INSTALLED"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        log.close();
    }

    /** An attacker's address, forwarded by the trusted proxy as over HTTPS. */
    static String[] from(String address, String... more) {
        attackers.add(address);
        String[] headers = new String[4 + more.length];
        headers[0] = "X-Forwarded-For";
        headers[1] = address;
        headers[2] = "X-Forwarded-Proto";
        headers[3] = "https";
        System.arraycopy(more, 0, headers, 4, more.length);
        return headers;
    }

    static void assertTooMany(int status, String retryAfter, String where) {
        assertEquals(429, status, where);
        assertNotNull(retryAfter, where + ": Retry-After");
        long seconds = Long.parseLong(retryAfter);
        assertTrue(seconds >= 1 && seconds <= 61, where + ": Retry-After " + seconds);
    }

    static void assertTheAdministratorStillGetsIn() {
        BoundHttp status = BoundHttp.send(ADMIN, port, "GET", "/shop/install/status", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, status.status, status.body);
        assertTrue(status.body.contains("\"bundleVersion\""), "the right token from another address works: " + status.body);
        BoundHttp maintenance = BoundHttp.send(ADMIN, port, "GET", "/shop/install/maintenance",
                "Authorization", "Bearer " + TOKEN);
        assertEquals(200, maintenance.status, maintenance.body);
    }

    @Test
    @Order(1)
    void bruteForceOnEveryApiPathGets429WhileTheRightTokenFromAnotherAddressWorks() {
        String[][] paths = {
                {"POST", "/shop/install/upgrade", "401"},
                {"GET", "/shop/install/status", "200"},
                {"POST", "/shop/install/release-lock", "401"},
                {"POST", "/shop/install/repair", "401"},
                {"GET", "/shop/install/maintenance", "401"},
                {"POST", "/shop/install/maintenance", "401"},
                {"DELETE", "/shop/install/maintenance", "401"},
                {"POST", "/shop/install/maintenance/off", "401"},
        };
        for (int i = 0; i < paths.length; i++) {
            String method = paths[i][0];
            String path = paths[i][1];
            String address = "198.51.100." + (i + 1);
            for (int attempt = 1; attempt <= 5; attempt++) {
                HttpResponse<String> wrong = http.send(method, path, from(address, "Authorization",
                        "Bearer guess-" + address + "-" + attempt));
                assertEquals(Integer.parseInt(paths[i][2]), wrong.statusCode(), method + " " + path + " #" + attempt);
                assertFalse(wrong.body().contains("bundleVersion"), method + " " + path);
            }
            HttpResponse<String> limited = http.send(method, path, from(address, "Authorization", "Bearer " + TOKEN));
            assertTooMany(limited.statusCode(), limited.headers().firstValue("Retry-After").orElse(null),
                    method + " " + path + ", even with the right token");
            assertEquals("application/problem+json", limited.headers().firstValue("Content-Type").orElse(""));
            assertTrue(limited.body().contains("\"status\":429"), limited.body());
            assertTheAdministratorStillGetsIn();
        }
        assertEquals("{\"state\":\"NOT_INSTALLED\"}", http.get("/shop/install/status").body(), "nothing started");
        assertEquals(200, http.get("/shop/install/status", from("198.51.100.2")).statusCode(),
                "status without a token is no guess, and answers even a limited address");
    }

    @Test
    @Order(2)
    void bruteForceOnTheWizardSignInGets429WhileTheAdministratorSignsIn() {
        WizardClient guesser = new WizardClient("http://127.0.0.1:" + port, from("198.51.100.20"));
        guesser.get("/shop/install/signin");
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertEquals(401, guesser.post("/shop/install/signin", "csrf", guesser.csrf, "token",
                    "guess-signin-" + attempt).statusCode(), "attempt " + attempt);
        }
        HttpResponse<String> limited = guesser.post("/shop/install/signin", "csrf", guesser.csrf, "token", TOKEN);
        assertTooMany(limited.statusCode(), limited.headers().firstValue("Retry-After").orElse(null), "sign-in");
        assertTrue(limited.body().contains("Too many wrong tokens") && limited.body().contains("<html"),
                "the wizard's own page: " + limited.body());
        assertTrue(guesser.get("/shop/install/overview").headers().firstValue("Location").orElse("").endsWith("/signin"),
                "not signed in");
        assertTheAdministratorStillGetsIn();
        WizardClient admin = new WizardClient("http://127.0.0.1:" + port);
        assertEquals(303, admin.signIn("/shop", TOKEN).statusCode(), "from the proxy's own address, which never failed");
    }

    @Test
    @Order(3)
    void fiftyConcurrentSignInPostsCannotExceedTheLimit() throws Exception {
        int threads = 50;
        List<WizardClient> guessers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            WizardClient guesser = new WizardClient("http://127.0.0.1:" + port, from("198.51.100.50"));
            guesser.get("/shop/install/signin");
            guessers.add(guesser);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                WizardClient guesser = guessers.get(i);
                String guess = "guess-concurrent-" + i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return guesser.post("/shop/install/signin", "csrf", guesser.csrf, "token", guess).statusCode();
                }));
            }
            go.countDown();
            int compared = 0;
            int limited = 0;
            for (Future<Integer> answer : answers) {
                int status = answer.get(60, TimeUnit.SECONDS);
                compared += status == 401 ? 1 : 0;
                limited += status == 429 ? 1 : 0;
            }
            assertEquals(5, compared, "exactly the limit was compared, however the POSTs raced");
            assertEquals(threads - 5, limited);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(4)
    void fiveThousandAnonymousSignInFormsEvictNoOnesForm() throws Exception {
        WizardClient admin = new WizardClient("http://127.0.0.1:" + port, "X-Forwarded-For", "192.0.2.10",
                "X-Forwarded-Proto", "https");
        assertEquals(200, admin.get("/shop/install/signin").statusCode());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger forms = new AtomicInteger();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int worker = 0; worker < 4; worker++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 1250; i++) {
                        HttpResponse<String> form = http.get("/shop/install/signin");
                        if (form.statusCode() == 200 && form.body().contains("name=\"csrf\"")) {
                            forms.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(5000, forms.get(), "every anonymous GET got a form");
        assertEquals(303, admin.post("/shop/install/signin", "csrf", admin.csrf, "token", TOKEN).statusCode(),
                "the administrator's form, fetched before the flood, still signs in");
        assertEquals(200, admin.get("/shop/install/overview").statusCode());
    }

    @Test
    @Order(5)
    void theLogHasOneLinePerAddressPerMinuteWithPathAndCountAndNeverASecret() {
        List<String> lines = log.lines();
        for (String address : attackers.stream().distinct().toArray(String[]::new)) {
            long count = lines.stream().filter(line -> line.contains("wrong secret from " + address + " ")).count();
            assertEquals(1, count, address + " in " + lines);
        }
        assertTrue(log.any("wrong secret from 198.51.100.1 on /shop/install/upgrade: 1 failed in the last minute"),
                String.valueOf(lines));
        assertTrue(log.any("wrong secret from 198.51.100.20 on /shop/install/signin"), String.valueOf(lines));
        assertFalse(log.any(TOKEN), "a log line holds the token");
        for (String line : lines) {
            Matcher guess = GUESS.matcher(line);
            assertFalse(guess.find(), "a log line holds a guess: " + line);
        }
    }

    @Test
    @Order(6)
    void bruteForceOnTheBypassUrlGets429WhileTheRightOneWorksFromAnotherAddress() {
        assertEquals(202, BoundHttp.send(ADMIN, port, "POST", "/shop/install/upgrade", "Authorization",
                "Bearer " + TOKEN).status);
        http.await("/shop/install/status", 60, Http.state("UP"));
        BoundHttp on = BoundHttp.send(ADMIN, port, "POST", "/shop/install/maintenance", "Authorization", "Bearer " + TOKEN);
        assertEquals(200, on.status, on.body);
        Matcher bypass = Pattern.compile("\"bypass\":\"([^\"]+)\"").matcher(on.body);
        assertTrue(bypass.find(), on.body);
        http.await("/shop/install/status", 30, Http.state("MAINTENANCE"));

        String address = "198.51.100.60";
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertEquals(404, http.get("/shop/install/bypass/guess-bypass-000000000" + attempt, from(address))
                    .statusCode(), "attempt " + attempt);
        }
        HttpResponse<String> limited = http.get(bypass.group(1), from(address));
        assertTooMany(limited.statusCode(), limited.headers().firstValue("Retry-After").orElse(null),
                "bypass, even the right URL");
        assertFalse(limited.headers().firstValue("Set-Cookie").isPresent());
        BoundHttp right = BoundHttp.send(ADMIN, port, "GET", bypass.group(1));
        assertEquals(303, right.status, "the right bypass URL from another address");
        assertTrue(String.valueOf(right.header("Set-Cookie")).startsWith("upgradegate_bypass="));
        assertTrue(log.any("wrong secret from " + address + " on /shop/install/bypass/\u2026"), "logged without the secret");
        assertFalse(log.any(bypass.group(1).substring(bypass.group(1).lastIndexOf('/') + 1)),
                "the secret is in no log line");
    }

    @Test
    @Order(7)
    void pastTheGlobalCeilingABotnetGetsOneGuessPerNewAddressAndTheAdministratorStillGetsIn() {
        int bots = 300;
        int compared = 0;
        int limitedAfterOneFailure = 0;
        for (int bot = 0; bot < bots; bot++) {
            String address = "10.77." + bot / 200 + "." + bot % 200;
            for (int attempt = 0; attempt < 5; attempt++) {
                HttpResponse<String> answer = http.get("/shop/install/status", "X-Forwarded-For", address,
                        "X-Forwarded-Proto", "https", "Authorization", "Bearer guess-bot-" + attempt);
                if (answer.statusCode() == 200) {
                    compared++;
                } else {
                    assertEquals(429, answer.statusCode());
                    limitedAfterOneFailure += attempt == 1 ? 1 : 0;
                }
            }
        }
        System.out.println("guesses compared from " + bots + " addresses x 5 within a minute: " + compared
                + " (per-address limit 5, global ceiling 100); addresses cut off after one failure: "
                + limitedAfterOneFailure);
        assertTrue(compared <= 100 + bots, "at most the ceiling plus one per address: " + compared);
        assertTrue(compared < bots * 5 / 2, "the ceiling cut the botnet's guesses: " + compared);
        assertTrue(limitedAfterOneFailure > 0, "past the ceiling, one failure is enough to wait");
        assertTheAdministratorStillGetsIn();
        assertTrue(log.any("the global ceiling of 100 is reached"), "logged once");
    }
}
