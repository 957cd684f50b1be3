package dev.upgradegate.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/** The whole story on PostgreSQL: the same shop WARs, only their database URL and driver differ. */
class TestUpgradeGateValveOnPostgreSql extends UpgradeGateValveStory {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    TestUpgradeGateValveOnPostgreSql() {
        super(DB);
    }
}
