package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.gate.config.Setting;
import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Guarantees 6 and 7: a schema newer than the bundle is never upgraded, whichever way the administrator
 * asks; and hostile requests on every endpoint (random paths, methods, headers, huge bodies, bad encodings,
 * traversal, header injection, 10,000 wrong tokens) neither fail, nor pass the gate, nor start an upgrade,
 * nor grow memory without bound, nor show the token anywhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 600, unit = TimeUnit.SECONDS)
class ITHostileInput {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** Fixed seed: a failure replays exactly. */
    static final long SEED = 20261123L;
    static final String TOKEN = "hostile-" + Long.toHexString(new java.security.SecureRandom().nextLong() | 1L << 62);
    static final int RAW_REQUESTS = 2000;
    static final int WRONG_TOKENS = 10_000;

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static LogCapture log;
    static int port;
    static String newerUrl;

    @BeforeAll
    static void startTomcat() throws Exception {
        log = new LogCapture();
        Path config = GateConfig.write(base, TOKEN,
                "backup.dir=" + base.resolve("backups"),
                "app.app.datasource=jdbc/ShopDB",
                "app.newer.datasource=jdbc/ShopDB");
        tomcat = new EmbeddedTomcat(base, config, DB);
        http = tomcat.http;
        port = URI.create(http.get("/").uri().toString()).getPort();
        tomcat.deploy("/app", bundle("1.0.0").directory(base.resolve("app")).toString(), DB.jdbcUrl());
        http.await("/app/install/status", 30, Http.state("NOT_INSTALLED"));

        newerUrl = DB.createDatabase("newer");
        Path release2 = bundle("2.0.0").sql("two", "CREATE TABLE two (id INT PRIMARY KEY)").tag("2.0.0")
                .directory(base.resolve("release2"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {release2.resolve("WEB-INF/classes").toUri().toURL()},
                null); Connection connection = DriverManager.getConnection(newerUrl, DB.user(), DB.password())) {
            new LiquibaseEngine(Setting.CHANGELOG.defaultValue(), loader).update(connection, UpgradeListener.NONE);
        }
        tomcat.deploy("/newer", bundle("1.0.0").directory(base.resolve("newer")).toString(), newerUrl);
        http.await("/newer/install/status", 30, Http.state("SCHEMA_NEWER"));
    }

    static TestBundle bundle(String version) {
        return new TestBundle(version).sql("one", "CREATE TABLE one (id INT PRIMARY KEY)").tag("1.0.0");
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        log.close();
    }

    // ----- 6 -----

    @Test
    @Order(1)
    void schemaNewerIsNeverUpgradedFromTheApiOrTheWizard() throws Exception {
        List<String> before = DatabaseChecks.strings(newerUrl, "SELECT ID FROM DATABASECHANGELOG ORDER BY 1");
        HttpResponse<String> api = http.upgrade("/newer", TOKEN);
        assertEquals(409, api.statusCode(), api.body());
        assertTrue(api.body().contains("SCHEMA_NEWER") && api.body().contains("deploy the matching bundle"), api.body());

        WizardClient wizard = new WizardClient("http://127.0.0.1:" + port);
        assertEquals(303, wizard.signIn("/newer", TOKEN).statusCode());
        HttpResponse<String> overview = wizard.get("/newer/install/overview");
        assertTrue(overview.body().contains("newer"), overview.body());
        // With its backup written the wizard owes no step, so only the refusal can keep /start from starting.
        wizard.makeBackup("/newer", 60);
        wizard.get("/newer/install/overview");
        HttpResponse<String> start = wizard.post("/newer/install/start", "csrf", wizard.csrf);
        assertEquals(303, start.statusCode(), start.body());
        assertTrue(start.headers().firstValue("Location").orElse("").endsWith("/newer/install/overview"),
                "the wizard refused to start and sent the administrator back to the overview: "
                        + start.headers().map());
        assertTrue(wizard.get("/newer/install/overview").body().contains("UpgradeGate never upgrades downwards"));

        assertEquals("{\"state\":\"SCHEMA_NEWER\"}", http.get("/newer/install/status").body());
        HttpResponse<String> page = http.get("/newer/index.html", "Accept", "text/html");
        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("Err 5"), page.body());
        assertEquals(before, DatabaseChecks.strings(newerUrl, "SELECT ID FROM DATABASECHANGELOG ORDER BY 1"));
        assertFalse(log.any("upgrade from schema 2.0.0"), "no upgrade was started");
    }

    // ----- 7 -----

    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "PROPFIND",
            "CONNECT", "G\u00c9T", "POST ", "get", "X-UPGRADE", ""};
    static final String[] PATHS = {"/app/", "/app/index.html", "/app/install", "/app/install/", "/app/install/upgrade",
            "/app/install/upgrade/", "/app/install/release-lock", "/app/install/status", "/app/install/signin",
            "/app/install/start", "/app/install/backup", "/app/install/overview", "/app/install/update.sql",
            "/app/install/log", "/app/install/health", "/app/install/progress.json", "/app/install/result",
            "/app/install/../index.html", "/app/%2e%2e/app/index.html", "/app/install/%2e%2e/index.html",
            "/app/install/..;/index.html", "/app/;jsessionid=1/install/upgrade", "/app/install/upgrade;x=y",
            "/app//install//upgrade", "/app/INSTALL/upgrade", "/app/install%2fupgrade", "/app/%69nstall/upgrade",
            "/app/index.html%00", "/app/%ff%fe", "/app/%c0%ae%c0%ae/", "/app/\u00e9\u00e8", "/app/install/status?x=<script>",
            "/app/WEB-INF/web.xml", "/app/META-INF/context.xml", "/app/install/upgrade%0d%0aX-Injected:%20yes",
            "/app/index.html?%0d%0aSet-Cookie:%20injected=1", "/app/..%2f..%2fetc%2fpasswd", "/app/install/\\..\\index.html",
            "/app/index.html#frag", "*", "/app/" + "a".repeat(9000), "http://evil.example/app/install/upgrade",
            "/newer/install/upgrade", "/newer/index.html"};
    static final String[] HEADERS = {"Authorization: Bearer wrong-token-0000000000", "Authorization: bearer ",
            "Authorization: Basic YWRtaW46YWRtaW4=", "Authorization: Bearer " + "x".repeat(7000),
            "Cookie: upgradegate_install=forged", "X-Forwarded-For: 10.0.0.1", "X-Forwarded-Proto: https",
            "Accept: application/json", "Accept: text/html", "Accept: */*;q=\u00ff", "Content-Type: application/x-www-form-urlencoded",
            "Content-Type: multipart/form-data; boundary=x", "Transfer-Encoding: chunked", "Content-Length: -1",
            "Content-Length: 99999999999", "Host: evil.example", "X-Test: a\rInjected: yes", "X-Test: \u0000\u0001",
            "Range: bytes=0-1,0-1,0-1", "Expect: 100-continue", "Origin: http://evil.example",
            "X-Token: " + TOKEN, "Cookie: token=" + TOKEN};

    @Test
    @Order(2)
    void randomRequestsNeverFailPassTheGateOrStartAnUpgrade() throws Exception {
        long heapBefore = usedHeapAfterGc();
        Random random = new Random(SEED);
        List<String> problems = new ArrayList<>();
        int[] statuses = new int[600];
        int tomcatRejected = 0;
        int reachedGate = 0;
        int closedByTomcat = 0;
        for (int i = 0; i < RAW_REQUESTS; i++) {
            StringBuilder request = new StringBuilder();
            String method = METHODS[random.nextInt(METHODS.length)];
            String path = random.nextInt(10) == 0 ? randomPath(random) : PATHS[random.nextInt(PATHS.length)];
            boolean tokenInRequestLine = random.nextInt(8) == 0;
            if (tokenInRequestLine) {
                path += (path.contains("?") ? "&" : "?") + "token=" + TOKEN;
            }
            request.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
            for (int h = random.nextInt(5); h > 0; h--) {
                request.append(HEADERS[random.nextInt(HEADERS.length)]).append("\r\n");
            }
            byte[] body = new byte[0];
            if (random.nextInt(6) == 0) {
                body = new byte[random.nextInt(3) == 0 ? 4 << 20 : random.nextInt(2000)];
                random.nextBytes(body);
                if (random.nextBoolean()) {
                    body = ("csrf=x&token=" + TOKEN + "&action=backup&" + "a=%zz&").repeat(1 + body.length / 60)
                            .getBytes(StandardCharsets.UTF_8);
                }
                request.append("Content-Length: ").append(body.length).append("\r\n");
            }
            request.append("\r\n");
            Answer exchanged = exchange(request.toString().getBytes(StandardCharsets.ISO_8859_1), body);
            String answer = exchanged.text();
            int status = status(answer);
            statuses[Math.max(0, Math.min(599, status))]++;
            String described = method + " " + (path.length() > 120 ? path.substring(0, 120) + "..." : path) + " -> "
                    + (answer.length() > 300 ? answer.substring(0, 300) : answer);
            if (answer.isEmpty()) {
                // Tomcat's connector refuses TRACE before any valve (allowTrace=false) and may close at once,
                // and it closes without reading a body past its 2 MB maxSwallowSize; the reset then loses its
                // answer. Any other silence is a hang or a dropped connection.
                if ("TRACE".equals(method) || body.length > 0 && (exchanged.cutWhileSending() || exchanged.reset())) {
                    closedByTomcat++;
                } else {
                    problems.add((exchanged.timedOut() ? "no answer within 5 s: " : "connection dropped: ") + described);
                }
                continue;
            }
            // Tomcat's HTTP parser rejects some requests (bad method, illegal characters, CONNECT) before any
            // valve runs, with its own ErrorReportValve page: not UpgradeGate's surface, so its 400 and 501
            // are no failure, and it may echo (re-encoded) the request line to the one client that sent it.
            boolean rejectedByTomcat = (status == 400 || status == 501) && answer.contains("<h1>HTTP Status " + status);
            if (rejectedByTomcat) {
                tomcatRejected++;
            } else if (status >= 500 && status != 503 || status == 0) {
                problems.add("failed: " + described);
            }
            if (headerSection(answer).toLowerCase().contains("content-security-policy:")) {
                reachedGate++;
            }
            if (answer.contains(TestBundle.CONTENT) || answer.contains("<web-app") || answer.contains("<Context")) {
                problems.add("passed the gate: " + described);
            }
            if (answer.contains(TOKEN) && !(rejectedByTomcat && tokenInRequestLine)) {
                problems.add("shows the token: " + described);
            }
            if (answer.contains("\tat ") || !rejectedByTomcat && answer.contains("Exception")) {
                problems.add("stack trace: " + described);
            }
            if (headerSection(answer).toLowerCase().contains("injected")) {
                problems.add("header injection: " + described);
            }
        }
        StringBuilder histogram = new StringBuilder();
        for (int s = 0; s < statuses.length; s++) {
            if (statuses[s] > 0) {
                histogram.append(s).append('=').append(statuses[s]).append(' ');
            }
        }
        String counts = "hostile raw requests: " + RAW_REQUESTS + ", statuses: " + histogram + "; answered by the gate: "
                + reachedGate + "; rejected by Tomcat's parser before any valve: " + tomcatRejected
                + "; closed by Tomcat without an answer (TRACE, or an unread body): " + closedByTomcat;
        System.out.println(counts);
        assertTrue(reachedGate >= RAW_REQUESTS / 3, "too few requests reached the gate to prove anything: " + counts);
        assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + " problems");
        assertGateStillClosedAndNothingRan();
        long growth = usedHeapAfterGc() - heapBefore;
        assertTrue(growth < 64L << 20, "heap grew by " + (growth >> 20) + " MB over " + RAW_REQUESTS + " requests");
    }

    @Test
    @Order(3)
    void tenThousandWrongTokensAreRefusedAndTheGuessLimitHolds() throws Exception {
        long heapBefore = usedHeapAfterGc();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger compared = new AtomicInteger();
        long started = System.nanoTime();
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            int signIns = 200;
            for (int worker = 0; worker < 4; worker++) {
                int first = worker;
                done.add(clients.submit(() -> {
                    Random random = new Random(SEED + first);
                    for (int i = first; i < WRONG_TOKENS - signIns; i += 4) {
                        String wrong = i % 100 == 0 ? TOKEN.substring(0, TOKEN.length() - 1)
                                : i % 101 == 0 ? TOKEN + "x" : i % 103 == 0 ? TOKEN.toUpperCase()
                                : Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
                        String path = i % 3 == 0 ? "/app/install/release-lock" : "/app/install/upgrade";
                        HttpResponse<String> answer = http.send("POST", path, "Authorization", "Bearer " + wrong,
                                "Accept", "application/json");
                        if (answer.statusCode() == 401) {
                            refused.incrementAndGet();
                            compared.incrementAndGet();
                        } else if (answer.statusCode() == 429) {
                            refused.incrementAndGet();
                        } else {
                            problems.add(path + " with a wrong token: " + answer.statusCode() + " " + answer.body());
                        }
                        if (answer.body().contains(TOKEN)) {
                            problems.add("the answer shows the token");
                        }
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get(150, TimeUnit.SECONDS);
            }
            long minutes = TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - started) + 1;
            assertTrue(compared.get() <= 5 * minutes, "the guess limit holds on the API: " + compared.get()
                    + " wrong tokens compared in " + minutes + " minute(s), 5 a minute allowed");
            WizardClient wizard = new WizardClient("http://127.0.0.1:" + port);
            int limited = 0;
            for (int i = 0; i < signIns; i++) {
                HttpResponse<String> answer = wizard.signIn("/app", "wrong-" + i);
                if (answer.statusCode() == 429) {
                    limited++;
                } else if (answer.statusCode() != 401) {
                    problems.add("sign-in with a wrong token: " + answer.statusCode());
                }
                refused.incrementAndGet();
            }
            assertTrue(limited >= signIns - 10, "the sign-in limit holds: only " + limited + " of " + signIns
                    + " wrong sign-ins were limited");
            HttpResponse<String> right = wizard.signIn("/app", TOKEN);
            assertEquals(429, right.statusCode(), "while limited, even the right token waits");
            assertFalse(right.body().contains(TOKEN));
        } finally {
            clients.shutdownNow();
        }
        assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())), problems.size() + " problems");
        assertEquals(WRONG_TOKENS, refused.get());
        assertGateStillClosedAndNothingRan();
        long growth = usedHeapAfterGc() - heapBefore;
        assertTrue(growth < 64L << 20, "heap grew by " + (growth >> 20) + " MB over " + WRONG_TOKENS + " wrong tokens");
    }

    @Test
    @Order(4)
    void theTokenIsInNoLogLine() {
        assertFalse(log.lines().isEmpty());
        assertFalse(log.any(TOKEN), "a log line holds the install token");
        assertFalse(log.any(TOKEN.substring(0, TOKEN.length() - 1)), "a log line holds a near-miss token");
    }

    static void assertGateStillClosedAndNothingRan() throws Exception {
        assertEquals("{\"state\":\"NOT_INSTALLED\"}", http.get("/app/install/status").body());
        assertEquals(503, http.get("/app/index.html").statusCode());
        assertEquals(List.of(), DatabaseChecks.executed(DB.jdbcUrl()), "no upgrade ran");
        assertEquals(List.of(), DatabaseChecks.strings(DB.jdbcUrl(), "SELECT TABLE_NAME FROM"
                + " information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('one',"
                + " 'DATABASECHANGELOG', 'DATABASECHANGELOGLOCK', 'UPGRADEGATE_LOCK')"),
                "no upgrade started, not even its lock was taken");
        assertFalse(log.any("started by"), "no upgrade started");
    }

    static String randomPath(Random random) {
        StringBuilder path = new StringBuilder(random.nextBoolean() ? "/app/install/" : "/app/");
        for (int i = random.nextInt(40); i > 0; i--) {
            int c = random.nextInt(6);
            path.append(c == 0 ? "%" + Integer.toHexString(random.nextInt(256)) : c == 1 ? "/" : c == 2 ? ".."
                    : String.valueOf((char) (0x21 + random.nextInt(0x5e))));
        }
        return path.toString().replace(" ", "%20");
    }

    /**
     * What came back: the bytes until the server closed; whether sending was cut short by the server closing;
     * whether the connection was reset while reading; whether the read timed out.
     */
    record Answer(String text, boolean cutWhileSending, boolean reset, boolean timedOut) {
    }

    /** Sends raw bytes, as no well-behaved client would, and reads the answer until the server closes. */
    static Answer exchange(byte[] head, byte[] body) {
        boolean cut = false;
        boolean reset = false;
        boolean timedOut = false;
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head);
                out.write(body);
                out.flush();
                // A lying Content-Length or chunked header would keep the server waiting for bytes that never come.
                socket.shutdownOutput();
            } catch (IOException closedEarly) {
                // The server may answer and close before reading a huge body: its answer is what counts.
                cut = true;
            }
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0 && answer.size() < (1 << 20);) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException timeout) {
                timedOut = true;
            } catch (java.net.SocketException resetByServer) {
                // what arrived before the reset is the answer
                reset = true;
            }
        } catch (IOException e) {
            throw new AssertionError("cannot connect to Tomcat: " + e, e);
        }
        return new Answer(answer.toString(StandardCharsets.ISO_8859_1), cut, reset, timedOut);
    }

    static int status(String answer) {
        if (!answer.startsWith("HTTP/1.1 ") || answer.length() < 12) {
            return 0;
        }
        return Integer.parseInt(answer.substring(9, 12));
    }

    static String headerSection(String answer) {
        int end = answer.indexOf("\r\n\r\n");
        return end < 0 ? answer : answer.substring(0, end);
    }

    static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
