package dev.upgradegate.agent;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/**
 * Legacy Tomcat 9 (javax.servlet), with the shop's javax build, through the agent. The Tomcat 9 valve's jar is proven
 * in its own module (tomcat9-valve's ITTomcat9Distribution).
 */
class ITTomcat9 {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void javaagentGatesTheJavaxShopUntilItIsUpgraded() throws Exception {
        Fixtures.agentStory(DB, "upgradegate.tomcat9.dist", "shop-2.0.0-javax.war", dir);
    }
}
