package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/** {@code java -jar upgradegate-agent.jar attach <pid>} to a Tomcat 11 that is already serving, without a restart. */
class ITAttachTomcat11 {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void attachGatesEveryRequestThatArrivesAfterwards() throws Exception {
        Fixtures.schemaAt100(DB);
        Path home = Fixtures.dist("upgradegate.tomcat11.dist");
        int port = ServerProcess.freePort();
        Path base = ServerProcess.tomcatBase(home, dir.resolve("base"), port);
        Files.copy(Fixtures.DRIVER, base.resolve("lib").resolve(Fixtures.DRIVER.getFileName()));
        Files.copy(Fixtures.WARS.resolve("shop-2.0.0.war"), base.resolve("webapps/shop.war"));
        Fixtures.shopDatabase(base, DB);
        Path config = Fixtures.config(base.resolve("conf"), "app.shop.datasource=jdbc/ShopDB");

        try (ServerProcess tomcat = ServerProcess.tomcat(home, base, "", port)) {
            Http http = new Http("http://127.0.0.1:" + port);
            // Ungated, the new bundle meets the old schema: what UpgradeGate exists to prevent.
            int before = http.await("/shop/products", 60, response -> response.statusCode() != 404).statusCode();
            assertNotEquals(503, before);

            ServerProcess.Result attached = Fixtures.cli("attach", Long.toString(tomcat.pid()), "config=" + config);
            assertEquals(0, attached.exit, attached.toString());
            assertTrue(attached.output.contains("UpgradeGate agent attached to " + tomcat.pid()), attached.output);

            Fixtures.storyFromMismatchToUp(http);
            assertTrue(tomcat.output().contains("UpgradeGate agent attached; instrumented 1 loaded classes"),
                    tomcat.output());
        }
    }
}
