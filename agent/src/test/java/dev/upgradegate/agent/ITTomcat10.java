package dev.upgradegate.agent;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * A real Tomcat 10.1 distribution: through the agent given with {@code -javaagent} only, and through the valve jar,
 * the latter on a MySQL/MariaDB database and on a PostgreSQL one.
 */
class ITTomcat10 {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();
    @RegisterExtension
    static final TestDatabase PG = new TestDatabase(DatabaseKind.POSTGRESQL);

    @TempDir
    Path dir;

    @Test
    void javaagentGatesTheShopUntilItIsUpgraded() throws Exception {
        Fixtures.agentStory(DB, "upgradegate.tomcat10.dist", "shop-2.0.0.war", dir);
    }

    /** The valve jar is built against Tomcat 10.1's API: dropped into 10.1's lib/, it gates like in Tomcat 11. */
    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void valveJarInLibGatesTheShopWithItsOwnLibraries(DatabaseKind kind) throws Exception {
        Fixtures.valveStory(kind == DatabaseKind.POSTGRESQL ? PG : DB, "upgradegate.tomcat10.dist", "upgradegate.tomcat.valve.jar", "shop-2.0.0.war", dir);
    }
}
