package dev.upgradegate.agent;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The CLI's status and upgrade with their exit codes on a real PostgreSQL database, the driver on --classpath: the
 * lease is PostgreSQL's advisory lock and row, the history Liquibase's lower-case tables; without the driver, the CLI
 * names PostgreSQL's, not MySQL's.
 */
class ITCliPostgreSql extends CliStatusAndUpgrade {

    @RegisterExtension
    static final TestDatabase PG = new TestDatabase(DatabaseKind.POSTGRESQL);

    @Override
    TestDatabase db() {
        return PG;
    }

    @Override
    String driverAdvice() {
        return "(postgresql), or check --jdbc-url";
    }
}
