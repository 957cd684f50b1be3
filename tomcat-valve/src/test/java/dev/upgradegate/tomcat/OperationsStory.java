package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.UnicastRemoteObject;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;

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
 * What operations teams use, in embedded Tomcat 11 on a real database: the readiness URL flipping
 * through an upgrade, the JMX MBean through a real remote JMX connection, and a custom maintenance page
 * that is escaped, reloaded when it changes and replaced by the built-in page when broken. Told once per kind of
 * database by a subclass that registers it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class OperationsStory {

    static final String TOKEN = "operations-token-0123456789";
    static final String HEALTH = "/upgradegate/health";

    /** Static: JUnit gives an instance field a new folder for every test method, and Tomcat lives in this one. */
    @TempDir
    static Path base;

    final TestDatabase db;
    EmbeddedTomcat tomcat;
    Http http;
    LogCapture log;
    Path page;
    Registry rmi;
    JMXConnectorServer jmxServer;
    JMXConnector jmx;
    MBeanServerConnection mbeans;
    ObjectName shop;

    OperationsStory(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void start() throws Exception {
        log = new LogCapture();
        page = base.resolve("pages/maintenance.html");
        Path config = GateConfig.write(base, TOKEN,
                "health.path=" + HEALTH,
                "app.shop.datasource=jdbc/ShopDB",
                "app.shop.maintenance.page=pages/maintenance.html",
                "app.blog.datasource=jdbc/ShopDB");
        tomcat = new EmbeddedTomcat(base.resolve("tomcat"), config, db, "Catalina");
        http = tomcat.http;

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        rmi = LocateRegistry.createRegistry(port);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        jmxServer = JMXConnectorServerFactory.newJMXConnectorServer(url, null, ManagementFactory.getPlatformMBeanServer());
        jmxServer.start();
        jmx = JMXConnectorFactory.connect(url);
        mbeans = jmx.getMBeanServerConnection();
        shop = new ObjectName("Catalina:type=UpgradeGate,host=localhost,context=/shop");
    }

    @AfterAll
    void stop() throws Exception {
        if (jmx != null) {
            jmx.close();
        }
        if (jmxServer != null) {
            jmxServer.stop();
        }
        if (rmi != null) {
            UnicastRemoteObject.unexportObject(rmi, true);
        }
        if (tomcat != null) {
            tomcat.close();
        }
        log.close();
    }

    @Test
    @Order(1)
    void readinessFlipsThroughTheInstallAndTheUpgrade() throws Exception {
        tomcat.deploy("/shop", "shop-1.0.0.war", db.jdbcUrl());
        HttpResponse<String> notReady = http.get(HEALTH);
        assertEquals(503, notReady.statusCode(), notReady.body());
        assertEquals("{\"status\":\"DOWN\",\"webapps\":{\"shop\":{\"state\":\"NOT_INSTALLED\",\"code\":\"Err 1\"}}}",
                notReady.body());
        assertEquals("no-store", notReady.headers().firstValue("Cache-Control").orElse(""));

        assertEquals(202, http.upgrade("/shop", TOKEN).statusCode());
        HttpResponse<String> ready = http.await(HEALTH, 60, response -> response.statusCode() == 200);
        assertEquals("{\"status\":\"UP\",\"webapps\":{\"shop\":{\"state\":\"UP\",\"code\":\"\"}}}", ready.body());

        tomcat.undeploy("/shop");
        tomcat.deploy("/shop", "shop-2.0.0.war", db.jdbcUrl());
        HttpResponse<String> upgradeRequired = http.get(HEALTH);
        assertEquals(503, upgradeRequired.statusCode());
        assertTrue(upgradeRequired.body().contains("\"state\":\"UPGRADE_REQUIRED\""), upgradeRequired.body());
        assertEquals(503, http.send("HEAD", HEALTH).statusCode());
        assertEquals(405, http.send("POST", HEALTH).statusCode());
    }

    @Test
    @Order(2)
    void jmxShowsTheWebappAndItsPendingChangesets() throws Exception {
        assertEquals("UPGRADE_REQUIRED", mbeans.getAttribute(shop, "State"));
        assertEquals("2.0.0", mbeans.getAttribute(shop, "BundleVersion"));
        assertEquals("1.0.0", mbeans.getAttribute(shop, "SchemaVersion"));
        assertFalse(((String) mbeans.getAttribute(shop, "LastCheck")).isEmpty());
        String[] pending = new String[0];
        for (int i = 0; i < 100 && pending.length == 0; i++) {
            pending = (String[]) mbeans.getAttribute(shop, "PendingChangesets");
            Thread.sleep(100);
        }
        assertTrue(pending.length > 0 && pending[0].contains("2.0.0"), String.join(", ", pending));
        assertEquals("no upgrade lock is held", mbeans.invoke(shop, "releaseStaleLock", null, null));
    }

    @Test
    @Order(3)
    void readinessReturnsWhenTheUpgradeIsDone() throws Exception {
        assertEquals(202, http.upgrade("/shop", TOKEN).statusCode());
        HttpResponse<String> ready = http.await(HEALTH, 60, response -> response.statusCode() == 200);
        assertTrue(ready.body().contains("\"shop\":{\"state\":\"UP\""), ready.body());
        assertEquals("UP", mbeans.invoke(shop, "refresh", null, null));
        assertTrue(((String) mbeans.getAttribute(shop, "LastUpgrade")).startsWith("SUCCEEDED 1.0.0 -> 2.0.0"),
                (String) mbeans.getAttribute(shop, "LastUpgrade"));
        assertArrayEquals(new String[0], (String[]) mbeans.getAttribute(shop, "PendingChangesets"));
    }

    @Test
    @Order(4)
    void maintenanceThroughJmxWithTheBuiltInPageWhileTheTemplateIsMissing() throws Exception {
        String bypass = (String) mbeans.invoke(shop, "maintenanceOn", new Object[] {"Back in ten minutes", 10},
                new String[] {"java.lang.String", "int"});
        assertTrue(bypass.startsWith("/shop/install/bypass/"), bypass);
        assertEquals("MAINTENANCE", mbeans.getAttribute(shop, "State"));
        assertTrue(((String) mbeans.getAttribute(shop, "Maintenance")).startsWith("Back in ten minutes, until "));
        HttpResponse<String> builtIn = http.get("/shop/", "Accept", "text/html");
        assertEquals(503, builtIn.statusCode());
        assertTrue(builtIn.body().contains("<title>Down for Maintenance</title>"), builtIn.body());
        assertTrue(builtIn.body().contains("Back in ten minutes"));
        assertTrue(log.any("maintenance page " + page + " cannot be read"), "the log names the missing file");
        assertEquals(503, http.get(HEALTH).statusCode(), "a node in maintenance is not ready");
    }

    @Test
    @Order(5)
    void customTemplateIsEscapedAndReloadedWhenItChanges() throws Exception {
        Files.createDirectories(page.getParent());
        Files.writeString(page, "<html><body><h1>Our shop rests</h1><p>{{message}}</p>"
                + "<p data-state=\"{{state}}\">{{code}}, back in {{ retryAfter }} s</p></body></html>");
        mbeans.invoke(shop, "maintenanceOn", new Object[] {"<script>alert(\"x\")</script> & co", 10},
                new String[] {"java.lang.String", "int"});
        HttpResponse<String> custom = http.await("/shop/", 30, response -> response.body().contains("Our shop rests"));
        assertEquals(503, custom.statusCode());
        assertTrue(custom.body().contains("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</p>"),
                custom.body());
        assertFalse(custom.body().contains("<script>"));
        assertTrue(custom.body().contains("data-state=\"MAINTENANCE\">Err 8, back in "), custom.body());
        assertTrue(custom.headers().firstValue("Retry-After").isPresent());
        HttpResponse<String> json = http.get("/shop/", "Accept", "application/json");
        assertTrue(json.body().contains("\"state\":\"MAINTENANCE\""), "JSON clients still get problem+json");

        Files.writeString(page, "<html><body><h1>Changed page</h1>{{message}}</body></html>");
        http.await("/shop/", 30, response -> response.body().contains("Changed page"));
    }

    @Test
    @Order(6)
    void brokenTemplateFallsBackToTheBuiltInPageAndIsLogged() throws Exception {
        Files.writeString(page, "<html><body>\n<p>{{mesage}}</p></body></html>");
        HttpResponse<String> builtIn = http.await("/shop/", 30,
                response -> response.body().contains("<title>Down for Maintenance</title>"));
        assertEquals(503, builtIn.statusCode());
        assertTrue(log.any("maintenance page " + page + " is broken (line 2: unknown placeholder {{mesage}}"),
                log.lines().toString());

        Files.writeString(page, "<html><body>{{message");
        Files.setLastModifiedTime(page, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
        http.await("/shop/", 30, response -> log.any("'{{' is never closed"));
        assertTrue(http.get("/shop/").body().contains("<title>Down for Maintenance</title>"));

        Files.write(page, new byte[] {'<', 'p', '>', (byte) 0xC3, (byte) 0x28, '<', '/', 'p', '>'});
        Files.setLastModifiedTime(page, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10000));
        http.await("/shop/", 30, response -> log.any("not UTF-8 text"));
        assertTrue(http.get("/shop/").body().contains("<title>Down for Maintenance</title>"));
    }

    @Test
    @Order(7)
    void maintenanceOffThroughJmx() throws Exception {
        assertEquals("UP", mbeans.invoke(shop, "maintenanceOff", null, null));
        assertEquals(200, http.get("/shop/products").statusCode());
        assertEquals(200, http.get(HEALTH).statusCode());
        assertEquals("", mbeans.getAttribute(shop, "Maintenance"));
        assertFalse(log.any(TOKEN), "the token is never logged");
    }

    @Test
    @Order(8)
    void maintenanceForEveryWebappOfTheHostThroughJmx() throws Exception {
        // A second webapp on the same database, so that "all" means more than one.
        tomcat.deploy("/blog", "shop-2.0.0.war", db.jdbcUrl());
        try {
            ObjectName host = new ObjectName("Catalina:type=UpgradeGate,host=localhost");
            http.await("/blog/install/status", 30, Http.state("UP"));
            assertArrayEquals(new String[] {"blog: UP", "shop: UP"}, (String[]) mbeans.getAttribute(host, "Webapps"));

            String[] on = (String[]) mbeans.invoke(host, "maintenanceOnAll", new Object[] {"Database move", 15},
                    new String[] {"java.lang.String", "int"});
            assertEquals(2, on.length, String.join(", ", on));
            assertTrue(on[0].startsWith("blog: /blog/install/bypass/") && on[1].startsWith("shop: /shop/install/bypass/"),
                    String.join(", ", on));
            assertEquals(503, http.get("/shop/products").statusCode());
            assertEquals(503, http.get("/blog/products").statusCode());
            assertTrue(http.get("/blog/", "Accept", "text/html").body().contains("Database move"));
            assertEquals("MAINTENANCE", mbeans.getAttribute(shop, "State"), "the per-webapp MBean sees it");
            assertEquals(503, http.get(HEALTH).statusCode());

            assertArrayEquals(new String[] {"blog: UP", "shop: UP"},
                    (String[]) mbeans.invoke(host, "maintenanceOffAll", null, null));
            assertEquals(200, http.get("/shop/products").statusCode());
            assertEquals(200, http.get("/blog/products").statusCode());
            assertEquals(200, http.get(HEALTH).statusCode());
        } finally {
            tomcat.undeploy("/blog");
        }
    }
}
