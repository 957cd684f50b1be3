package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

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
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TomcatProcess;

/**
 * UpgradeGate installed the way a hosting provider installs it: the shaded valve jar and the MySQL driver
 * dropped into $CATALINA_BASE/lib of a real Tomcat 11 distribution, one {@code <Valve>} line in server.xml,
 * a properties file in conf/, and the legacy shop deployed by copying its WAR into webapps/. Tomcat runs as
 * its own process ({@code bin/catalina.sh run}); the test only speaks HTTP to it and reads its logs.
 *
 * <p>Tomcat's output and a copy of CATALINA_BASE's conf/ and logs/ are kept under target/it-distribution/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ITUpgradeGateDistribution {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    /** A fresh token per run, so that finding it anywhere in the logs can only mean it leaked. */
    static final String TOKEN = "it-distribution-" + randomHex(24);

    static final String VALVE_LINE = "<Valve className=\"dev.upgradegate.tomcat.UpgradeGateValve\""
            + " configFile=\"${catalina.base}/conf/upgradegate.properties\"/>";

    static final Path WARS = Path.of(System.getProperty("upgradegate.wars", "target/wars"));
    static final Path DIST = Path.of(required("upgradegate.tomcat.dist"));
    static final Path VALVE_JAR = Path.of(required("upgradegate.valve.jar"));
    /** target/, where the valve jar is built: Tomcat's output is kept there. */
    static final Path KEEP = VALVE_JAR.toAbsolutePath().getParent().resolve("it-distribution");

    /** A stack frame or an exception type of ours, shaded Liquibase included. */
    static final Pattern OUR_STACK_TRACE = Pattern.compile(
            "^\\s+at dev\\.upgradegate\\.|^\\s*(Caused by: )?dev\\.upgradegate\\.[\\w.$]*(Exception|Error)\\b",
            Pattern.MULTILINE);
    /** The first line of a record in JULI's OneLineFormatter: time, level, [thread], source. */
    static final Pattern RECORD = Pattern.compile(
            "^\\d{2}-\\w{3}-\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} (\\w+) \\[[^\\]]*\\] (\\S+)", Pattern.MULTILINE);
    /**
     * Liquibase's own diagnostics below WARNING, e.g. "Error fetching reserved words list from JDBC driver" with
     * Connector/J's SQLSyntaxErrorException on MariaDB (whose INFORMATION_SCHEMA.KEYWORDS has no RESERVED
     * column): noise, but not a failure of UpgradeGate. They are printed, not failed on.
     */
    static final Pattern TOLERATED =
            Pattern.compile("(INFO|CONFIG|FINE|FINER|FINEST) dev\\.upgradegate\\.shaded\\.liquibase\\.\\S*");

    @TempDir
    static Path temp;

    static TomcatProcess tomcat;
    static Http http;

    @BeforeAll
    static void installAndStartTomcat() throws Exception {
        deleteRecursively(KEEP);
        tomcat = new TomcatProcess(DIST, temp.resolve("catalina-base"), KEEP.resolve("catalina.out"));
        tomcat.addLibrary(VALVE_JAR);
        tomcat.addLibrary(WARS.resolve(DB.driver().jarName()));
        String serverXml = tomcat.configureServer(VALVE_LINE);
        assertTrue(serverXml.contains(VALVE_LINE), serverXml);
        tomcat.writeConfiguration("upgradegate.properties", String.join("\n",
                "# UpgradeGate, read by the valve in server.xml",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "app.shop.datasource=jdbc/ShopDB",
                ""));
        tomcat.deploy(WARS.resolve("shop-1.0.0.war"), "shop.war");

        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("shop.db.url", DB.jdbcUrl());
        properties.put("shop.db.driver", DB.driver().className());
        properties.put("shop.db.user", DB.user());
        properties.put("shop.db.password", DB.password());
        tomcat.start(properties, Duration.ofSeconds(60));
        http = new Http("http://" + TomcatProcess.HOST + ":" + tomcat.port());
        // The port is bound before the webapps deploy: wait until the shop answers.
        http.await("/shop/install/status", 30, Http.checked());
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        if (tomcat == null) {
            return;
        }
        try {
            boolean clean = tomcat.stop(Duration.ofSeconds(30));
            assertTrue(clean, "Tomcat did not stop within 30 s of SIGTERM; output in " + tomcat.output());
            // Stopping runs the valve's stopInternal and the webapps' undeploy: nothing of ours may fail there.
            assertNoStackTraceOfOurs("while stopping");
            assertNoLeakReported("while stopping");
        } finally {
            tomcat.keepFiles(KEEP);
        }
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run with mvn verify");
        }
        return value;
    }

    static HttpResponse<String> awaitState(String state) {
        return http.await("/shop/install/status", 40, Http.state(state));
    }

    @Test
    @Order(1)
    void valveJarCarriesItsLiquibaseUnderItsOwnName() throws IOException {
        List<String> leaked = new ArrayList<>();
        int relocated = 0;
        try (ZipFile jar = new ZipFile(VALVE_JAR.toFile())) {
            for (ZipEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                if (name.startsWith("liquibase/") || name.startsWith("META-INF/services/liquibase.")) {
                    leaked.add(name);
                } else if (name.startsWith("dev/upgradegate/shaded/liquibase/") && name.endsWith(".class")) {
                    relocated++;
                }
            }
        }
        assertEquals(List.of(), leaked.subList(0, Math.min(20, leaked.size())),
                leaked.size() + " entries of Liquibase are not relocated in " + VALVE_JAR);
        assertTrue(relocated > 100, "only " + relocated + " classes under dev/upgradegate/shaded/liquibase/");
    }

    @Test
    @Order(2)
    void freshDatabaseIsInstalledThroughTheEndpoint() {
        HttpResponse<String> page = http.get("/shop/products", "Accept", "text/html");
        assertEquals(503, page.statusCode(), page.body());
        assertTrue(page.body().contains("Down for Maintenance"), page.body());
        assertTrue(page.body().contains("Err 1"), page.body());
        assertEquals("{\"state\":\"NOT_INSTALLED\"}", http.get("/shop/install/status").body());

        HttpResponse<String> started = http.upgrade("/shop", TOKEN);
        assertEquals(202, started.statusCode(), started.body());

        awaitState("UP");
        HttpResponse<String> products = http.get("/shop/products");
        assertEquals(200, products.statusCode(), products.body());
        assertTrue(http.get("/shop/").body().contains("Shop 1.0.0"));
    }

    @Test
    @Order(3)
    void redeployedNewBundleIsGatedUntilUpgraded() throws Exception {
        tomcat.deploy(WARS.resolve("shop-2.0.0.war"), "shop.war");
        awaitRedeploy(Duration.ofSeconds(40));

        for (String page : new String[] {"/shop/", "/shop/products", "/shop/categories", "/shop/static/style.css"}) {
            HttpResponse<String> response = http.get(page, "Accept", "text/html,application/xhtml+xml");
            assertEquals(503, response.statusCode(), page + ": " + response.body());
            assertTrue(response.body().contains("Down for Maintenance"), page + ": " + response.body());
            assertTrue(response.body().contains("Err 2"), page + ": " + response.body());
        }
        HttpResponse<String> api = http.get("/shop/api/products", "Accept", "application/json");
        assertEquals(503, api.statusCode(), api.body());
        assertEquals("application/problem+json", api.headers().firstValue("Content-Type").orElse(""));
        assertTrue(api.body().contains("\"state\":\"UPGRADE_REQUIRED\""), api.body());

        HttpResponse<String> wrong = http.upgrade("/shop", "not-the-token-at-all-0123456789");
        assertEquals(401, wrong.statusCode(), wrong.body());
        HttpResponse<String> started = http.upgrade("/shop", TOKEN);
        assertEquals(202, started.statusCode(), started.body());

        awaitState("UP");
        HttpResponse<String> products = http.get("/shop/products");
        assertEquals(200, products.statusCode(), products.body());
        assertEquals(200, http.get("/shop/categories").statusCode());
        assertTrue(http.get("/shop/").body().contains("Shop 2.0.0"));
    }

    /** Waits until autoDeploy has replaced 1.0.0: the gate says UPGRADE_REQUIRED, or 2.0.0 shows ungated. */
    static void awaitRedeploy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> status = http.get("/shop/install/status");
            if (status.body().contains("\"state\":\"UPGRADE_REQUIRED\"")) {
                return;
            }
            HttpResponse<String> home = http.get("/shop/");
            if (home.body().contains("Shop 2.0.0")) {
                fail("Shop 2.0.0 was served on a 1.0.0 schema: the gate did not stop it (" + home.statusCode()
                        + "; status " + status.body() + ")");
            }
            if (System.nanoTime() > deadline) {
                fail("autoDeploy did not bring up shop 2.0.0 within " + timeout.toSeconds() + " s; last status "
                        + status.statusCode() + " " + status.body() + "; Tomcat's output:\n" + tomcat.tail(40));
            }
            Thread.sleep(250);
        }
    }

    @Test
    @Order(4)
    void logsHoldNoStackTraceOfOursAndNeverTheToken() throws IOException {
        assertTrue(tomcat.running(), "Tomcat is still up");
        assertNoStackTraceOfOurs("while running");
        assertNoLeakReported("when autoDeploy replaced shop 1.0.0");
        String output = tomcat.outputText();
        assertTrue(output.contains("org.apache.catalina.startup.Catalina.start Server startup"),
                "the output is Tomcat's console log:\n" + tomcat.tail(20));
        assertTrue(output.contains("shop: START -> NOT_INSTALLED"), "the gate logs through JULI to the console");
        assertFalse(output.contains("UpgradeGate failed internally"), output);
        List<String> levelsOfOurs = new ArrayList<>();
        for (String record : records(output)) {
            Matcher header = RECORD.matcher(record);
            if (header.lookingAt() && header.group(2).startsWith("dev.upgradegate.")) {
                levelsOfOurs.add(header.group(1));
                // The story sends one wrong token on purpose: the guess limiter's line about it is the one warning due.
                boolean theWrongToken = record.contains("GuessLimiter") && record.contains("wrong secret from 127.0.0.1"
                        + " on /shop/install/upgrade: 1 failed");
                assertFalse(!theWrongToken && (header.group(1).equals("SEVERE") || header.group(1).equals("WARNING")),
                        "the story runs without a warning from UpgradeGate: " + record);
                assertFalse(record.contains("not-the-token-at-all"), "a wrong token is never logged: " + record);
            }
        }
        // Else a changed log format would leave the check above nothing to look at.
        assertTrue(levelsOfOurs.contains("INFO") && levelsOfOurs.size() >= 2, "UpgradeGate's records were"
                + " recognised, e.g. \"shop: START -> NOT_INSTALLED\", but only " + levelsOfOurs + " were:\n"
                + tomcat.tail(20));
        assertFalse(output.contains(TOKEN), "the install token is in Tomcat's output " + tomcat.output());
        for (Map.Entry<Path, String> log : tomcat.logFiles().entrySet()) {
            assertFalse(log.getValue().contains(TOKEN), "the install token is in " + log.getKey());
        }
    }

    /**
     * Fails with the offending log record if Tomcat's output or a file under logs/ holds a stack trace of ours:
     * a frame of dev.upgradegate (shaded Liquibase included) or an exception of ours, in any record except
     * Liquibase's own diagnostics below WARNING ({@link #TOLERATED}).
     */
    static void assertNoStackTraceOfOurs(String when) throws IOException {
        Map<String, String> sources = new LinkedHashMap<>();
        sources.put(tomcat.output().toString(), tomcat.outputText());
        tomcat.logFiles().forEach((path, text) -> sources.put(path.toString(), text));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            for (String record : records(source.getValue())) {
                if (!OUR_STACK_TRACE.matcher(record).find()) {
                    continue;
                }
                Matcher header = RECORD.matcher(record);
                if (header.lookingAt() && TOLERATED.matcher(header.group(1) + " " + header.group(2)).matches()) {
                    System.out.println("Tolerated (Liquibase's own diagnostic) in " + source.getKey() + ": "
                            + record.lines().limit(2).collect(Collectors.joining(" | ")));
                    continue;
                }
                fail("a stack trace of dev.upgradegate " + when + " in " + source.getKey() + ":\n" + record);
            }
        }
    }

    /**
     * Tomcat checks every stopped webapp for threads and ThreadLocals that would pin its class loader. A thread
     * created while the gate had set a webapp's loader as context class loader (Connector/J's "MySQL Statement
     * Cancellation Timer", for one) is reported here, on the redeploy and on shutdown.
     */
    static void assertNoLeakReported(String when) {
        for (String record : records(tomcat.outputText())) {
            if (record.contains("memory leak")) {
                fail("Tomcat reports a memory leak " + when + ":\n" + record);
            }
        }
    }

    /** The log records of {@code text}: each starts with a JULI header line and runs to the next. */
    static List<String> records(String text) {
        List<String> records = new ArrayList<>();
        Matcher header = RECORD.matcher(text);
        int start = 0;
        while (header.find()) {
            if (header.start() > start) {
                records.add(text.substring(start, header.start()));
            }
            start = header.start();
        }
        records.add(text.substring(start));
        return records;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Collections.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
