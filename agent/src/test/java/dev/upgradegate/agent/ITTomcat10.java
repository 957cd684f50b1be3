package dev.upgradegate.agent;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/** A real Tomcat 10.1 distribution: through the agent given with {@code -javaagent} only, and through the valve jar. */
class ITTomcat10 {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void javaagentGatesTheShopUntilItIsUpgraded() throws Exception {
        Fixtures.agentStory(DB, "upgradegate.tomcat10.dist", "shop-2.0.0.war", dir);
    }

    /** The valve jar is built against Tomcat 10.1's API: dropped into 10.1's lib/, it gates like in Tomcat 11. */
    @Test
    void valveJarInLibGatesTheShopWithItsOwnLibraries() throws Exception {
        Fixtures.valveStory(DB, "upgradegate.tomcat10.dist", "upgradegate.tomcat.valve.jar", "shop-2.0.0.war", dir);
    }
}
