package dev.upgradegate.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.TestDatabase;

/** The whole story on a MySQL-compatible server, with the driver the build selects (see the pom's executions). */
class TestUpgradeGateValve extends UpgradeGateValveStory {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    TestUpgradeGateValve() {
        super(DB);
    }
}
