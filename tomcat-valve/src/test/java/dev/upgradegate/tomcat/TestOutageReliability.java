package dev.upgradegate.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.TestDatabase;

/** Outages while UP and mid-upgrade on a MySQL-compatible server. */
class TestOutageReliability extends OutageReliabilityStory {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    TestOutageReliability() {
        super(DB);
    }
}
