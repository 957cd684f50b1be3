package dev.upgradegate.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/** Manual maintenance and the bypass across two nodes on PostgreSQL. */
class TestMaintenanceAcrossNodesOnPostgreSql extends MaintenanceAcrossNodesStory {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    TestMaintenanceAcrossNodesOnPostgreSql() {
        super(DB);
    }
}
