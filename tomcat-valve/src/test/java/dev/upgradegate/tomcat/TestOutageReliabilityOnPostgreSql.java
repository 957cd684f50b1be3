package dev.upgradegate.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/** Outages while UP and mid-upgrade on PostgreSQL, whose advisory lock goes with the cut session. */
class TestOutageReliabilityOnPostgreSql extends OutageReliabilityStory {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    TestOutageReliabilityOnPostgreSql() {
        super(DB);
    }
}
