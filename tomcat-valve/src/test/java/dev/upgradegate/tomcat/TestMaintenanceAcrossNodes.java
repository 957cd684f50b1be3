package dev.upgradegate.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.TestDatabase;

/** Manual maintenance and the bypass across two nodes on a MySQL-compatible server. */
class TestMaintenanceAcrossNodes extends MaintenanceAcrossNodesStory {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    TestMaintenanceAcrossNodes() {
        super(DB);
    }
}
