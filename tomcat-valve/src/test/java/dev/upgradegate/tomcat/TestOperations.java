package dev.upgradegate.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.TestDatabase;

/** Readiness, JMX and the maintenance page on a MySQL-compatible server. */
class TestOperations extends OperationsStory {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    TestOperations() {
        super(DB);
    }
}
