package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/** What a host administrator gets from the configuration file: generated tokens, and mistakes that never stop Tomcat. */
class TestUpgradeGateValveConfiguration {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path base;

    @Test
    void withoutAConfiguredTokenOneIsGeneratedIntoAnOwnerOnlyFile() throws Exception {
        Path config = base.resolve("upgradegate.properties");
        Files.writeString(config, "app.shop.datasource=jdbc/ShopDB\nrefresh.seconds=1\n");
        try (LogCapture log = new LogCapture(); EmbeddedTomcat tomcat = new EmbeddedTomcat(base, config, DB)) {
            Path tokenFile = base.resolve("upgradegate-install.token");
            assertTrue(Files.exists(tokenFile));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String token = Files.readString(tokenFile).trim();
            assertTrue(token.length() >= 32, "a long random token");
            assertTrue(log.any(tokenFile.toAbsolutePath().toString()), "the log says where the token is");
            assertFalse(log.any(token), "but never the token itself");

            tomcat.deploy("/shop", "shop-1.0.0.war", DB.createDatabase("generated"));
            assertEquals(401, tomcat.http.upgrade("/shop", "guess-" + token).statusCode());
            assertEquals(202, tomcat.http.upgrade("/shop", token).statusCode());
            tomcat.http.await("/shop/install/status", 30, Http.state("UP"));
        }
    }

    @Test
    void aMissingFileKeepsTomcatUpAndEveryGatedWebappClosed() throws Exception {
        Path config = base.resolve("does-not-exist.properties");
        try (LogCapture log = new LogCapture(); EmbeddedTomcat tomcat = new EmbeddedTomcat(base, config, DB)) {
            tomcat.deploy("/shop", "shop-2.0.0.war", DB.jdbcUrl());
            assertEquals("{\"state\":\"MISCONFIGURED\"}", tomcat.http.get("/shop/install/status").body());
            assertEquals(503, tomcat.http.get("/shop/").statusCode());
            assertTrue(log.any(config.toString()), "the log names the file");
        }
    }

    @Test
    void anInvalidFileNamesTheLineAndTheKey() throws Exception {
        Path config = base.resolve("upgradegate.properties");
        Files.writeString(config, "# UpgradeGate\napp.shop.datasource=jdbc/ShopDB\nrefresh.seconds=soon\n");
        try (LogCapture log = new LogCapture(); EmbeddedTomcat tomcat = new EmbeddedTomcat(base, config, DB)) {
            tomcat.deploy("/shop", "shop-2.0.0.war", DB.jdbcUrl());
            assertEquals("{\"state\":\"MISCONFIGURED\"}", tomcat.http.get("/shop/install/status").body());
            assertTrue(log.any(config + " line 3: refresh.seconds"), String.join("\n", log.lines()));
        }
    }

    @Test
    void aBrokenEditKeepsTheLastGoodConfigurationInForce() throws Exception {
        Path config = base.resolve("upgradegate.properties");
        Files.writeString(config, "install.token=a-long-enough-test-token\napp.shop.datasource=jdbc/ShopDB\n");
        new EmbeddedTomcat(base, config, DB).close();
        Path lastGood = base.resolve("upgradegate.properties.last-good");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(lastGood)),
                "the copy holds secrets too");

        // Every value differs from the last good one, so the answers show which file is in force.
        Files.writeString(config, "install.token=the-broken-edit-token-0123\napp.shop.datasource=jdbc/NoSuchDB\n"
                + "refresh.seconds=soon\n");
        try (LogCapture log = new LogCapture(); EmbeddedTomcat tomcat = new EmbeddedTomcat(base, config, DB)) {
            tomcat.deploy("/shop", "shop-1.0.0.war", DB.createDatabase("lastgood"));
            assertEquals("{\"state\":\"NOT_INSTALLED\"}", tomcat.http.get("/shop/install/status").body(),
                    "the last good datasource is in force");
            assertEquals(401, tomcat.http.upgrade("/shop", "the-broken-edit-token-0123").statusCode(),
                    "the broken file's token is not");
            assertEquals(202, tomcat.http.upgrade("/shop", "a-long-enough-test-token").statusCode(),
                    "the last good token is");
            tomcat.http.await("/shop/install/status", 30, Http.state("UP"));
            assertTrue(log.any("Keeping the last good configuration"), String.join("\n", log.lines()));
            assertTrue(log.any(config + " line 3: refresh.seconds"), "the log still names what to fix");
        }
    }

    @Test
    void aBadSettingForOneWebappLeavesItsNeighbourAlone() throws Exception {
        Path config = base.resolve("upgradegate.properties");
        Files.writeString(config, String.join("\n",
                "install.token=a-long-enough-test-token",
                "app.good.datasource=jdbc/ShopDB",
                "app.bad.datasource=jdbc/NoSuchDB",
                "app.typo.datasourse=jdbc/ShopDB",
                ""));
        try (LogCapture log = new LogCapture(); EmbeddedTomcat tomcat = new EmbeddedTomcat(base, config, DB)) {
            String url = DB.createDatabase("neighbours");
            tomcat.deploy("/good", "shop-1.0.0.war", url);
            tomcat.deploy("/bad", "shop-1.0.0.war", url);
            tomcat.deploy("/typo", "shop-1.0.0.war", url);
            assertEquals("{\"state\":\"MISCONFIGURED\"}", tomcat.http.get("/bad/install/status").body());
            assertEquals("{\"state\":\"MISCONFIGURED\"}", tomcat.http.get("/typo/install/status").body());
            assertEquals("{\"state\":\"NOT_INSTALLED\"}", tomcat.http.get("/good/install/status").body());
            assertTrue(log.any("jdbc/NoSuchDB"), "the log names the missing DataSource");
            assertTrue(log.any("app.typo.datasourse: unknown key"), String.join("\n", log.lines()));
        }
    }

    /** health.path is read with the rest of the file: a refused one keeps the last good file, its URL included. */
    @Test
    void aRefusedHealthPathKeepsTheLastGoodOneAnswering() throws Exception {
        Path config = base.resolve("upgradegate.properties");
        Files.writeString(config, "install.token=a-long-enough-test-token\nhealth.path=/upgradegate/health\n");
        new EmbeddedTomcat(base, config, DB).close();

        Files.writeString(config, "install.token=a-long-enough-test-token\nhealth.path=upgradegate/ready\n");
        try (LogCapture log = new LogCapture(); EmbeddedTomcat tomcat = new EmbeddedTomcat(base, config, DB)) {
            assertEquals(200, tomcat.http.get("/upgradegate/health").statusCode(), "the last good health URL");
            assertTrue(log.any(config + " line 2: health.path: must be a path"), String.join("\n", log.lines()));
            assertTrue(log.any("Keeping the last good configuration"), String.join("\n", log.lines()));
        }
    }

    /** Values that throw wherever they are used (a NUL in a file name) close their webapp, never open it. */
    @Test
    void aFileNameNoFileCanHaveClosesOnlyItsWebapp() throws Exception {
        Path config = base.resolve("upgradegate.properties");
        Files.writeString(config, String.join("\n",
                "install.token=a-long-enough-test-token",
                "datasource=jdbc/ShopDB",
                "app.licence.license.file=LICENSE\\u0000.txt",
                "app.page.maintenance.page=page\\u0000.html",
                ""));
        try (LogCapture log = new LogCapture(); EmbeddedTomcat tomcat = new EmbeddedTomcat(base, config, DB)) {
            String url = DB.createDatabase("paths");
            tomcat.deploy("/licence", "shop-1.0.0.war", url);
            tomcat.deploy("/page", "shop-1.0.0.war", url);
            tomcat.deploy("/good", "shop-1.0.0.war", url);
            for (String app : new String[] {"/licence", "/page"}) {
                assertEquals("{\"state\":\"MISCONFIGURED\"}", tomcat.http.get(app + "/install/status").body());
                assertEquals(503, tomcat.http.get(app + "/").statusCode(), app + " must stay closed");
            }
            assertEquals("{\"state\":\"NOT_INSTALLED\"}", tomcat.http.get("/good/install/status").body());
            assertTrue(log.any("app.licence.license.file") && log.any("app.page.maintenance.page"),
                    String.join("\n", log.lines()));
        }
    }
}
