package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The CLI's status and upgrade with their exit codes on a real PostgreSQL database, the driver on --classpath: the
 * lease is PostgreSQL's advisory lock and row, the history Liquibase's lower-case tables.
 */
class ITCliPostgreSql extends CliStatusAndUpgrade {

    @RegisterExtension
    static final TestDatabase PG = new TestDatabase(DatabaseKind.POSTGRESQL);

    @Override
    TestDatabase db() {
        return PG;
    }

    /** Without a driver for its URL, the CLI names PostgreSQL's, not MySQL's. */
    @Test
    @Order(9)
    void aMissingDriverIsNamedForPostgreSql() throws Exception {
        CliRun noDriver = CliRun.jar("status", "--jdbc-url", PG.jdbcUrl(), "--user", PG.user(), "--password",
                PG.password(), "--war", V2);
        assertEquals(1, noDriver.exit, noDriver.toString());
        assertEquals("status failed: app: MISCONFIGURED: no JDBC driver in the WAR's WEB-INF/lib or --classpath accepts"
                + " jdbc:postgresql: URLs: pass --classpath <driver.jar> (postgresql), or check --jdbc-url\n",
                noDriver.err, noDriver.toString());
    }
}
