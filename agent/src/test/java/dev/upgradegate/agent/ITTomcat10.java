package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/** A real Tomcat 10.1 distribution: through the agent given with {@code -javaagent} only, and through the valve jar. */
class ITTomcat10 {

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

    /** The valve jar is built against Tomcat 10.1's API: dropped into 10.1's lib/, it gates like in Tomcat 11. */
    @Test
    void valveJarInLibGatesTheShopWithItsOwnLibraries() throws Exception {
        String url = DB.createDatabase("valve10");
        Path home = Fixtures.dist("upgradegate.tomcat10.dist");
        int port = ServerProcess.freePort();
        Path base = ServerProcess.tomcatBase(home, dir.resolve("valve-base"), port);
        Files.copy(Fixtures.DRIVER, base.resolve("lib/mysql-connector-j.jar"));
        Files.copy(Path.of(System.getProperty("upgradegate.tomcat.valve.jar")),
                base.resolve("lib/upgradegate-tomcat-valve.jar"));
        Fixtures.warWithOwnLibraries("shop-2.0.0.war", base.resolve("webapps"));
        Fixtures.schemaAt100(url, DB.user(), DB.password());
        Fixtures.shopDatabase(base, url, DB.user(), DB.password());
        Fixtures.config(base.resolve("conf"), "app.shop.datasource=jdbc/ShopDB");
        Path serverXml = base.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml).replaceFirst("(<Host [^>]*>)",
                "$1\n        <Valve className=\"dev.upgradegate.tomcat.UpgradeGateValve\""
                        + " configFile=\"\\${catalina.base}/conf/upgradegate.properties\"/>"));

        try (ServerProcess tomcat = ServerProcess.tomcat(home, base, "", port)) {
            Http http = new Http("http://127.0.0.1:" + port);
            Fixtures.storyFromMismatchToUp(http);
            Fixtures.ownLibrariesStillWork(http, "4.29.2", true);
        }
    }
}
