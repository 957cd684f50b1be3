package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.gate.config.Setting;
import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TestDriver;

/**
 * The valve in embedded Tomcat 11, gating the real shop WARs on a real database server: the whole story an
 * administrator lives through, in order, told once per kind of database by a subclass that registers it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class UpgradeGateValveStory {

    static final String TOKEN = "test-install-token-0123456789";

    /** Static: JUnit gives an instance field a new folder for every test method, and Tomcat lives in this one. */
    @TempDir
    static Path base;

    final TestDatabase db;
    EmbeddedTomcat tomcat;
    Http http;
    LogCapture log;

    UpgradeGateValveStory(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void startTomcat() throws Exception {
        log = new LogCapture();
        Path config = GateConfig.write(base, TOKEN,
                "retry.afterSeconds=120",
                "app.shop.datasource=jdbc/ShopDB",
                "app.outage.datasource=jdbc/ShopDB",
                "app.other.datasource=jdbc/ShopDB",
                "app.old.version.attribute=Implementation-Version",
                "app.broken.jdbc.url=not-a-jdbc-url");
        tomcat = new EmbeddedTomcat(base, config, db);
        http = tomcat.http;
    }

    @AfterAll
    void stopTomcat() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        log.close();
    }

    void deploy(String path, String war, String jdbcUrl) {
        tomcat.deploy(path, war, jdbcUrl);
    }

    void undeploy(String path) throws Exception {
        tomcat.undeploy(path);
    }

    HttpResponse<String> awaitState(String app, String state) {
        return http.await(app + "/install/status", 30, Http.state(state));
    }

    @Test
    @Order(1)
    void freshDatabaseIsInstalledThroughTheEndpoint() {
        deploy("/shop", "shop-1.0.0.war", db.jdbcUrl());

        HttpResponse<String> page = http.get("/shop/products", "Accept", "text/html");
        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("<title>Down for Maintenance</title>"), page.body());
        assertTrue(page.body().contains("Err 1"));
        assertEquals("{\"state\":\"NOT_INSTALLED\"}", http.get("/shop/install/status").body());

        HttpResponse<String> started = http.upgrade("/shop", TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        assertEquals("/shop/install/status", started.headers().firstValue("Location").orElse(""));

        awaitState("/shop", "UP");
        HttpResponse<String> products = http.get("/shop/products");
        assertEquals(200, products.statusCode(), products.body());
        assertTrue(http.get("/shop/").body().contains("Shop 1.0.0"));
    }

    @Test
    @Order(2)
    void newBundleOnOldSchemaIsGatedUntilUpgraded() throws Exception {
        undeploy("/shop");
        deploy("/shop", "shop-2.0.0.war", db.jdbcUrl());

        for (String page : new String[] {"/shop/", "/shop/products", "/shop/categories", "/shop/static/style.css"}) {
            HttpResponse<String> response = http.get(page, "Accept", "text/html,application/xhtml+xml");
            assertEquals(503, response.statusCode(), page);
            assertEquals("120", response.headers().firstValue("Retry-After").orElse(""));
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
            assertTrue(response.body().contains("Err 2"), page);
            assertFalse(response.body().contains("2.0.0") || response.body().contains("1.0.0"),
                    "the maintenance page shows no version: " + response.body());
        }

        HttpResponse<String> api = http.get("/shop/api/products", "Accept", "application/json");
        assertEquals(503, api.statusCode());
        assertEquals("application/problem+json", api.headers().firstValue("Content-Type").orElse(""));
        assertTrue(api.body().contains("\"state\":\"UPGRADE_REQUIRED\""), api.body());
        assertTrue(api.body().contains("\"retryAfter\":120"), api.body());

        HttpResponse<String> head = http.send("HEAD", "/shop/products");
        assertEquals(503, head.statusCode());
        assertEquals("", head.body());

        HttpResponse<String> wrong = http.upgrade("/shop", "not-the-token-at-all-000");
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, http.send("POST", "/shop/install/upgrade").statusCode());
        assertEquals(405, http.get("/shop/install/upgrade").statusCode());

        HttpResponse<String> detail = http.await("/shop/install/status", 30,
                r -> r.body().contains("\"id\":"), "Authorization", "Bearer " + TOKEN);
        assertTrue(detail.body().contains("\"bundleVersion\":\"2.0.0\""), detail.body());
        assertTrue(detail.body().contains("\"schemaVersion\":\"1.0.0\""), detail.body());
        assertFalse(http.get("/shop/install/status").body().contains("bundleVersion"),
                "without the token the status tells only the state");

        assertEquals(202, http.upgrade("/shop", TOKEN).statusCode());
        awaitState("/shop", "UP");

        HttpResponse<String> products = http.get("/shop/products");
        assertEquals(200, products.statusCode(), products.body());
        assertTrue(http.get("/shop/").body().contains("Shop 2.0.0"));
        assertEquals(200, http.get("/shop/categories").statusCode());
        assertEquals(200, http.get("/shop/static/style.css").statusCode());
    }

    @Test
    @Order(3)
    void installEndpointClosesOnceUp() {
        assertEquals(404, http.upgrade("/shop", TOKEN).statusCode(), "the webapp answers, not the gate");
        assertEquals(404, http.get("/shop/install/").statusCode());
        assertEquals("{\"state\":\"UP\"}", http.get("/shop/install/status").body());
    }

    @Test
    @Order(4)
    void olderBundleOnNewerSchemaIsNeverUpgraded() throws Exception {
        undeploy("/shop");
        deploy("/shop", "shop-1.0.0.war", db.jdbcUrl());
        assertEquals(503, http.get("/shop/products").statusCode());
        awaitState("/shop", "SCHEMA_NEWER");
        HttpResponse<String> refused = http.upgrade("/shop", TOKEN);
        assertEquals(409, refused.statusCode());
        assertTrue(refused.body().contains("SCHEMA_NEWER"), refused.body());
        assertTrue(http.get("/shop/", "Accept", "text/html").body().contains("Err 5"));
    }

    @Test
    @Order(5)
    void databaseOutageGatesAndRecoversWithoutRestart() {
        // The shop's database, already at 2.0.0, reached through a proxy the test can cut.
        deploy("/outage", "shop-2.0.0.war", db.proxiedJdbcUrl());
        awaitState("/outage", "UP");
        assertEquals(200, http.get("/outage/products").statusCode());

        db.proxy().cut();
        try {
            awaitState("/outage", "DB_UNAVAILABLE");
            HttpResponse<String> down = http.get("/outage/products", "Accept", "text/html");
            assertEquals(503, down.statusCode());
            assertTrue(down.body().contains("Err 6"));
        } finally {
            db.proxy().restore();
        }
        awaitState("/outage", "UP");
        assertEquals(200, http.get("/outage/products").statusCode());
    }

    @Test
    @Order(6)
    void webappsInDifferentStatesStandSideBySide() throws Exception {
        String third = db.createDatabase("third");
        deploy("/other", "shop-2.0.0.war", third);
        deploy("/broken", "shop-2.0.0.war", third);
        assertEquals(503, http.get("/other/products").statusCode());
        assertEquals("{\"state\":\"NOT_INSTALLED\"}", http.get("/other/install/status").body());
        assertEquals("{\"state\":\"MISCONFIGURED\"}", http.get("/broken/install/status").body());
        assertTrue(http.get("/broken/", "Accept", "text/html").body().contains("Err 7"));
        assertEquals(200, http.get("/outage/products").statusCode(), "a neighbour's state does not leak");
        assertTrue(log.any("app.broken.jdbc.url"), "the log names the key at fault");
    }

    @Test
    @Order(7)
    void withoutAGateNewCodeOnTheOldSchemaFailsWithSqlErrors() throws Exception {
        String old = db.createDatabase("old");
        LiquibaseEngine release1 = new LiquibaseEngine(Setting.CHANGELOG.defaultValue(), classLoaderOf("shop-1.0.0.war"));
        try (Connection connection = DriverManager.getConnection(old, db.user(), db.password())) {
            release1.update(connection, UpgradeListener.NONE);
        }
        // "/old" is not in the configuration, so the gate leaves it alone: this is life without UpgradeGate.
        deploy("/old", "shop-2.0.0.war", old);
        assertEquals(200, http.get("/old/").statusCode());
        assertEquals(500, http.get("/old/products").statusCode(), "2.0.0 code on a 1.0.0 schema fails");
    }

    @Test
    @Order(8)
    void theTokenNeverReachesTheLog() {
        assertFalse(log.lines().isEmpty());
        assertFalse(log.any(TOKEN));
    }

    /**
     * The background checks never make the driver log: MariaDB's driver logs every error the server sends, and
     * a check that asked for a table not made yet would fill the log once a second while NOT_INSTALLED. PostgreSQL's
     * driver logs through java.util.logging too.
     */
    @Test
    @Order(9)
    void theDriverLogsNoErrorOfTheGatesOwnQueries() {
        List<String> driverLines = log.lines().stream().filter(line -> line.contains(" org.mariadb.") || line.contains(" org.postgresql."))
                .toList();
        if (db.driver() == TestDriver.MARIADB) {
            assertTrue(driverLines.stream().anyMatch(line -> line.contains("category' doesn't exist")),
                    "the capture hears the driver: the webapp's own failing query (test 7) is logged: " + driverLines);
        }
        for (String table : List.of("UPGRADEGATE_", "DATABASECHANGELOG")) {
            assertFalse(driverLines.stream().anyMatch(line -> line.toUpperCase(Locale.ROOT).contains(table)),
                    "the driver logged about " + table + ": " + driverLines);
        }
    }

    /** A class loader over a WAR's WEB-INF/classes, to read its changelog as the webapp would. */
    ClassLoader classLoaderOf(String war) throws Exception {
        Path unpacked = base.resolve("unpacked-" + war);
        try (ZipFile zip = new ZipFile(EmbeddedTomcat.WARS.resolve(war).toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.getName().startsWith("WEB-INF/classes/") && !entry.isDirectory()) {
                    Path target = unpacked.resolve(entry.getName().substring("WEB-INF/classes/".length()));
                    Files.createDirectories(target.getParent());
                    Files.copy(zip.getInputStream(entry), target);
                }
            }
        }
        return new URLClassLoader(new URL[] {unpacked.toUri().toURL()}, null);
    }
}
