package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.ShopWithOwnLibraries;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TomcatProcess;

/**
 * This module's shaded jar installed as the README tells a Tomcat 9 administrator: dropped into $CATALINA_BASE/lib of
 * the real Tomcat 9 distribution beside the JDBC driver and nothing else, one {@code <Valve>} line in server.xml. The
 * javax build of the shop, bundling its own Liquibase and Byte Buddy, meets an empty database.
 *
 * <p>Tomcat's output is kept in target/it-tomcat9/catalina.out.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ITTomcat9Distribution {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "tomcat9-install-token-0123456789abcdef";
    static final Path VALVE_JAR = Path.of(System.getProperty("upgradegate.valve.jar"));
    static final Path TOMCAT_HOME = Path.of(System.getProperty("upgradegate.tomcat9.dist"));
    static final Path WARS = Path.of(System.getProperty("upgradegate.wars"));

    @TempDir
    Path dir;

    @Test
    void aFreshShopIsGatedUntilItIsInstalledThroughTheApi() throws Exception {
        try (TomcatProcess tomcat = new TomcatProcess(TOMCAT_HOME, dir.resolve("catalina-base"),
                VALVE_JAR.toAbsolutePath().getParent().resolve("it-tomcat9/catalina.out"))) {
            tomcat.addLibrary(VALVE_JAR);
            tomcat.addLibrary(WARS.resolve(DB.driver().jarName()));
            tomcat.configureServer("<Valve className=\"dev.upgradegate.tomcat.UpgradeGateValve\""
                    + " configFile=\"${catalina.base}/conf/upgradegate.properties\"/>");
            tomcat.writeConfiguration("upgradegate.properties", String.join("\n",
                    "install.token=" + TOKEN,
                    "refresh.seconds=1",
                    "retry.after.seconds=45",
                    "app.shop.datasource=jdbc/ShopDB",
                    ""));
            tomcat.deploy(ShopWithOwnLibraries.war(WARS.resolve("shop-2.0.0-javax.war"),
                    WARS.resolve("liquibase-core.jar"), WARS.resolve("byte-buddy.jar"), dir), "shop.war");
            tomcat.start(Map.of("shop.db.url", DB.jdbcUrl(), "shop.db.driver", DB.driver().className(),
                    "shop.db.user", DB.user(), "shop.db.password", DB.password()), Duration.ofSeconds(60));
            Http http = new Http("http://" + TomcatProcess.HOST + ":" + tomcat.port());
            // The port is bound before the webapps deploy: wait until the shop's gate has checked its database.
            HttpResponse<String> status = http.await("/shop/install/status", 60, Http.checked());
            assertEquals("{\"state\":\"NOT_INSTALLED\"}", status.body());

            HttpResponse<String> page = http.get("/shop/", "Accept", "text/html");
            assertEquals(503, page.statusCode(), page.body());
            assertTrue(page.body().contains("<title>Down for Maintenance</title>"), page.body());
            assertTrue(page.body().contains("Err 1"), page.body());
            assertEquals("45", page.headers().firstValue("Retry-After").orElse("none"));
            assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
            assertEquals(503, http.get("/shop/products").statusCode());
            assertEquals(401, http.upgrade("/shop", "wrong-token-wrong-token").statusCode());

            HttpResponse<String> started = http.upgrade("/shop", TOKEN);
            assertEquals(202, started.statusCode(), started.body());
            http.await("/shop/install/status", 60, Http.state("UP"));

            HttpResponse<String> home = http.get("/shop/");
            assertEquals(200, home.statusCode(), home.body());
            assertTrue(home.body().contains("Shop 2.0.0"), home.body());
            assertEquals(200, http.get("/shop/categories").statusCode());
            assertEquals(200, http.get("/shop/static/style.css").statusCode());
            ShopWithOwnLibraries.assertStillWork(http, "4.29.2", true);
            assertFalse(tomcat.outputText().contains("SEVERE"), tomcat.tail(80));
        }
    }
}
