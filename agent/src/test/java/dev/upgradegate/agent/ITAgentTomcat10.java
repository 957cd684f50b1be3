package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/** The agent in a real Tomcat 10.1 distribution, given with {@code -javaagent} only. */
class ITAgentTomcat10 {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void javaagentGatesTheShopUntilItIsUpgraded() throws Exception {
        Fixtures.schemaAt100(DB);
        Path home = Fixtures.dist("upgradegate.tomcat10.dist");
        int port = ServerProcess.freePort();
        Path base = ServerProcess.tomcatBase(home, dir.resolve("base"), port);
        Files.copy(Fixtures.DRIVER, base.resolve("lib/mysql-connector-j.jar"));
        Files.copy(Fixtures.WARS.resolve("shop-2.0.0.war"), base.resolve("webapps/shop.war"));
        Fixtures.shopDatabase(base, DB);
        Path config = Fixtures.config(base.resolve("conf"), "app.shop.datasource=jdbc/ShopDB");

        try (ServerProcess tomcat = ServerProcess.tomcat(home, base,
                "-javaagent:" + Fixtures.AGENT + "=config=" + config, port)) {
            Fixtures.storyFromMismatchToUp(new Http("http://127.0.0.1:" + port));
            assertTrue(tomcat.output().contains("UpgradeGate agent started"), tomcat.output());
        }
    }
}
