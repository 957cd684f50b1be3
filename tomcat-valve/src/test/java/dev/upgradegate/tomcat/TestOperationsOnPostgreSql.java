package dev.upgradegate.tomcat;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/** Readiness, JMX and the maintenance page on PostgreSQL. */
class TestOperationsOnPostgreSql extends OperationsStory {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    TestOperationsOnPostgreSql() {
        super(DB);
    }
}
