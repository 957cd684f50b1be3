package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.ShopWithOwnLibraries;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The agent in a real Tomcat 11 distribution, given with {@code -javaagent} only: no valve, no change to
 * server.xml. The shop bundles its own Liquibase and Byte Buddy, which keep working beside the agent's. On a
 * MySQL/MariaDB database and on a PostgreSQL one, each with its driver in lib/.
 */
class ITAgentTomcat11 {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();
    @RegisterExtension
    static final TestDatabase PG = new TestDatabase(DatabaseKind.POSTGRESQL);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void javaagentGatesTheShopUntilItIsUpgraded(DatabaseKind kind) throws Exception {
        TestDatabase db = kind == DatabaseKind.POSTGRESQL ? PG : DB;
        Fixtures.schemaAt100(db);
        Path home = Fixtures.dist("upgradegate.tomcat11.dist");
        int port = ServerProcess.freePort();
        Path base = ServerProcess.tomcatBase(home, dir.resolve("base"), port);
        Files.copy(Fixtures.driver(db), base.resolve("lib").resolve(Fixtures.driver(db).getFileName()));
        Fixtures.warWithOwnLibraries("shop-2.0.0.war", base.resolve("webapps"));
        Fixtures.shopDatabase(base, db);
        Path config = Fixtures.config(base.resolve("conf"), "app.shop.datasource=jdbc/ShopDB");

        try (ServerProcess tomcat = ServerProcess.tomcat(home, base,
                "-javaagent:" + Fixtures.AGENT + "=config=" + config, port)) {
            Http http = new Http("http://127.0.0.1:" + port);
            Fixtures.storyFromMismatchToUp(http);
            ShopWithOwnLibraries.assertStillWork(http, "4.29.2", false);
            String log = tomcat.output();
            assertTrue(log.contains("UpgradeGate agent started"), log);
            assertFalse(log.contains("SEVERE"), log);
        }
    }
}
