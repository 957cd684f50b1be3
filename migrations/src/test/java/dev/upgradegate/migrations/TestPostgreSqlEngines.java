package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Liquibase and Flyway on a real PostgreSQL: the states, the upgrade, schemas other than {@code public}, and
 * transactional DDL, which leaves nothing of a failed changeset or migration behind.
 */
class TestPostgreSqlEngines {

    @RegisterExtension
    final TestDatabase db = new TestDatabase(DatabaseKind.POSTGRESQL);

    @TempDir
    Path dir;

    private static final ClassLoader RESOURCES = TestPostgreSqlEngines.class.getClassLoader();

    @Test
    void liquibasePlansRunsAndReadsItsLowerCaseHistory() throws Exception {
        LiquibaseEngine engine = new LiquibaseEngine("changelogs/good.xml", RESOURCES);
        try (Connection connection = db.open()) {
            SchemaState fresh = engine.inspect(connection);
            assertEquals(SchemaState.Kind.NOT_INSTALLED, fresh.kind());
            assertEquals(List.of("create-item", "tag-1.0", "add-price", "tag-1.1"), ids(fresh.pending()),
                    "the oracle-only changeset is not planned on PostgreSQL");
            assertNull(engine.history().fingerprint(connection), "looking created nothing");

            engine.update(connection, UpgradeListener.NONE);
            assertTrue(connection.getAutoCommit(), "the connection goes back as it came");
            assertTrue(tableIn(connection, "public", "databasechangelog"), "PostgreSQL folds Liquibase's names");
            SchemaState installed = engine.inspect(connection);
            assertEquals(SchemaState.Kind.CURRENT, installed.kind());
            assertEquals("1.1", installed.newestTag());
            assertNotNull(engine.history().fingerprint(connection));
        }
    }

    @Test
    void liquibaseFollowsTheConnectionsCurrentSchema() throws Exception {
        String url = schemaUrl("shop");
        LiquibaseEngine engine = new LiquibaseEngine("changelogs/good.xml", RESOURCES);
        try (Connection connection = DriverManager.getConnection(url, db.user(), db.password())) {
            engine.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, engine.inspect(connection).kind());
        }
        try (Connection connection = db.open()) {
            assertTrue(tableIn(connection, "shop", "databasechangelog"));
            assertTrue(tableIn(connection, "shop", "item"));
            assertFalse(tableIn(connection, "public", "databasechangelog"));
            assertEquals(SchemaState.Kind.NOT_INSTALLED,
                    new LiquibaseEngine("changelogs/good.xml", RESOURCES).inspect(connection).kind(),
                    "public has no history of its own");
        }
    }

    @Test
    void liquibaseHonoursTheWebappsDefaultSchema() throws Exception {
        schemaUrl("app");
        assertInstallsInItsOwnSchema(
                new LiquibaseEngine("changelogs/good.xml", RESOURCES, null, null, null, null, "app"),
                "app", "databasechangelog");
    }

    /**
     * An upgrade killed inside Liquibase on PostgreSQL: the next one takes the lease over, and with it the
     * databasechangeloglock that run left, in the webapp's own schema too; a stranger's lock stays.
     */
    @Test
    void aTakeoverClearsTheLiquibaseLockTheInterruptedRunLeftInTheWebappsSchema() throws Exception {
        schemaUrl("app");
        LiquibaseEngine engine = new LiquibaseEngine("changelogs/good.xml", RESOURCES, null, null, null, null, "app");
        try (Connection setup = db.open(); Statement sql = setup.createStatement()) {
            engine.update(setup, UpgradeListener.NONE);
            Connection killed = db.open();
            assertNotNull(UpgradeLock.tryAcquire(killed, "web-1 (pid 42)", engine.leftLock(), 60));
            sql.executeUpdate("UPDATE app.databasechangeloglock SET locked = TRUE, lockgranted = now(),"
                    + " lockedby = 'web-1' WHERE id = 1");
            killed.abort(Runnable::run);
            long deadline = System.currentTimeMillis() + 10_000;
            while (!UpgradeLock.inspect(setup, 60).interrupted() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(UpgradeLock.inspect(setup, 60).interrupted(), "a dead session's advisory lock is gone at once");

            UpgradeLock next = UpgradeLock.tryAcquire(db.open(), "web-2 (pid 7)", engine.leftLock(), 60);
            assertNotNull(next);
            assertEquals("web-1 (pid 42)", next.previous().owner());
            assertEquals(0, count(setup, "SELECT COUNT(*) FROM app.databasechangeloglock WHERE locked"));
            next.close();
            assertEquals("free", UpgradeLock.inspect(setup, 60).toString());
        }
    }

    /** The background check's probe finds a history kept in the webapp's own schema, and one in the connection's. */
    @Test
    void theProbeReadsTheHistoryWhereverTheEngineKeepsIt() throws Exception {
        schemaUrl("app");
        for (String schema : new String[] {"app", null}) {
            LiquibaseEngine engine = new LiquibaseEngine("changelogs/good.xml", RESOURCES, null, null, null, null,
                    schema);
            StateProbe probe = new StateProbe(engine.history(), "UPGRADEGATE_MAINTENANCE", "WEBAPP",
                    List.of("MESSAGE"), 60);
            try (Connection connection = db.open()) {
                StateProbe.Result fresh = probe.read(connection, "shop");
                assertNull(fresh.fingerprint(), "no history yet in " + schema);
                assertEquals(SchemaState.Kind.NOT_INSTALLED, engine.inspect(connection, fresh.fingerprint()).kind());
                engine.update(connection, UpgradeListener.NONE);
                StateProbe.Result installed = probe.read(connection, "shop");
                assertNotNull(installed.fingerprint(), "the history in " + schema);
                assertEquals(SchemaState.Kind.CURRENT, engine.inspect(connection, installed.fingerprint()).kind());
            }
        }
    }

    @Test
    void aFailingLiquibaseChangesetLeavesNothingHalfApplied() throws Exception {
        BundleFiles bundle = new BundleFiles(dir.resolve("liquibase"))
                .write("db/changelog.xml", BundleFiles.changelog(
                        BundleFiles.sql("create-note", "", "CREATE TABLE note (id INT PRIMARY KEY)"),
                        BundleFiles.sql("order-and-index", "",
                                "CREATE TABLE note_order (id INT PRIMARY KEY); ALTER TABLE no_such_table ADD x INT")));
        try (Connection connection = db.open()) {
            MigrationException failure = assertThrows(MigrationException.class,
                    () -> new LiquibaseEngine("db/changelog.xml", bundle.loader()).update(connection, UpgradeListener.NONE));
            assertEquals("order-and-index", failure.changeset().id());
            assertTrue(failure.databaseMessage().contains("no_such_table"), failure.databaseMessage());
            assertTrue(tableIn(connection, "public", "note"), "the changeset before the failure is committed");
            assertFalse(tableIn(connection, "public", "note_order"), "the failed changeset's CREATE TABLE rolled back");
            assertEquals(1, count(connection, "SELECT COUNT(*) FROM databasechangelog"), "no history row for it");

            bundle.write("db/changelog.xml", BundleFiles.changelog(
                    BundleFiles.sql("create-note", "", "CREATE TABLE note (id INT PRIMARY KEY)"),
                    BundleFiles.sql("order-and-index", "", "CREATE TABLE note_order (id INT PRIMARY KEY)")));
            LiquibaseEngine fixed = new LiquibaseEngine("db/changelog.xml", bundle.loader());
            assertEquals(List.of("order-and-index"), ids(fixed.inspect(connection).pending()));
            fixed.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, fixed.inspect(connection).kind());
            assertTrue(tableIn(connection, "public", "note_order"));
        }
    }

    @Test
    void flywayInstallsOnASchemaWithOnlyUpgradeGatesTablesThenUpgrades() throws Exception {
        BundleFiles bundle = flywayRelease1();
        try (Connection connection = db.open()) {
            assertEquals(SchemaState.Kind.NOT_INSTALLED, flyway(bundle).inspect(connection).kind());
            try (Statement statement = connection.createStatement()) {
                // What the upgrade lease leaves in the schema before Flyway runs, folded to lower case.
                statement.execute("CREATE TABLE UPGRADEGATE_LOCK (ID INT PRIMARY KEY)");
            }
            flyway(bundle).update(connection, UpgradeListener.NONE);
            SchemaState installed = flyway(bundle).inspect(connection);
            assertEquals(SchemaState.Kind.CURRENT, installed.kind());
            assertTrue(installed.label().startsWith("version 2, 2 migrations applied"), installed.label());

            bundle.write("db/migration/V3__add_price.sql", "ALTER TABLE item ADD price INT;");
            FlywayEngine next = flyway(bundle);
            assertEquals(SchemaState.Kind.BEHIND, next.inspect(connection).kind());
            next.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, next.inspect(connection).kind());
            assertEquals(List.of(), next.repair(connection), "nothing failed, nothing to repair");
            assertEquals(LeftLock.NONE, next.leftLock(), "Flyway's advisory lock on PostgreSQL dies with its session");
        }
    }

    @Test
    void flywayRefusesALegacySchemaWithoutHistory() throws Exception {
        try (Connection connection = db.open()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE customer (id INT PRIMARY KEY)");
            }
            MigrationException refused = assertThrows(MigrationException.class,
                    () -> flyway(flywayRelease1()).update(connection, UpgradeListener.NONE));
            assertTrue(refused.getMessage().contains("non-empty schema"), refused.getMessage());
        }
    }

    @Test
    void flywayHonoursTheWebappsSchemas() throws Exception {
        BundleFiles bundle = flywayRelease1();
        // Flyway keeps its history in the first of its schemas.
        assertInstallsInItsOwnSchema(new FlywayEngine(List.of("db/migration"), bundle.loader(), "flyway_schema_history",
                List.of("notes", "extra")), "notes", "flyway_schema_history");
    }

    @Test
    void aFailingFlywayMigrationLeavesNothingHalfAppliedThenAFixedBundleCompletes() throws Exception {
        BundleFiles bundle = flywayRelease1().write("db/migration/V3__add_price.sql",
                "CREATE TABLE price (id INT PRIMARY KEY);\nALTER TABLE no_such_table ADD x INT;");
        try (Connection connection = db.open()) {
            MigrationException failure = assertThrows(MigrationException.class,
                    () -> flyway(bundle).update(connection, UpgradeListener.NONE));
            assertEquals("V3__add_price.sql", failure.changeset().file());
            assertTrue(failure.databaseMessage().contains("no_such_table"), failure.databaseMessage());
            assertFalse(tableIn(connection, "public", "price"), "the failed migration's CREATE TABLE rolled back");
            SchemaState after = flyway(bundle).inspect(connection);
            assertEquals(SchemaState.Kind.BEHIND, after.kind(), "no failed row: PostgreSQL rolled it back too");
            assertEquals(List.of(), flyway(bundle).repair(connection));

            bundle.write("db/migration/V3__add_price.sql", "CREATE TABLE price (id INT PRIMARY KEY);");
            flyway(bundle).update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, flyway(bundle).inspect(connection).kind());
            assertEquals(3, count(connection, "SELECT COUNT(*) FROM flyway_schema_history WHERE success"));
        }
    }

    @Test
    void aVersionQueryReadsItsRowAndAMissingTableIsNotInstalled() throws Exception {
        try (Connection connection = db.open()) {
            SchemaVersionReader reader = new SchemaVersionReader("SELECT version FROM \"AppInfo\" WHERE id = 1");
            assertEquals(SchemaVersion.NOT_INSTALLED, reader.read(connection));
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE \"AppInfo\" (id INT PRIMARY KEY, version VARCHAR(20))");
                statement.execute("INSERT INTO \"AppInfo\" VALUES (1, '2.0.0')");
            }
            assertEquals(SchemaVersion.of("2.0.0"), reader.read(connection));
        }
    }

    /** What StatusMonitor maps: the version query's own errors to MISCONFIGURED, an unreachable server not. */
    @Test
    void aBadVersionQueryIsRejectedButAnUnreachableServerIsNot() throws Exception {
        try (Connection connection = DriverManager.getConnection(db.proxiedJdbcUrl(), db.user(), db.password())) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE app_info (version VARCHAR(20))");
            }
            for (String[] bad : new String[][] {{"SELECT no_such_column FROM app_info", "42703"},
                    {"SELECT version FORM app_info", "42601"}, {"SELECT no_such_function() FROM app_info", "42883"}}) {
                SQLException rejected = assertThrows(SchemaVersionReader.RejectedQuery.class,
                        () -> new SchemaVersionReader(bad[0]).read(connection), bad[0]);
                assertEquals(bad[1], rejected.getSQLState(), bad[0]);
                assertTrue(rejected.getMessage().startsWith("version.query fails: "), rejected.getMessage());
            }
            db.proxy().cut();
            SQLException cut = assertThrows(SQLException.class,
                    () -> new SchemaVersionReader("SELECT version FROM app_info").read(connection));
            assertFalse(cut instanceof SchemaVersionReader.RejectedQuery, cut.toString());
            assertTrue(cut.getSQLState().startsWith("08"), cut.getSQLState());
        } finally {
            db.proxy().restore();
        }
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:1/none?connectTimeout=5", db.user(), db.password()));
        assertEquals("08001", refused.getSQLState());
    }

    /**
     * Installs the bundle's {@code item} with {@code engine}, configured for {@code schema}: its history and tables
     * there, none in the connection's own schema, which stays the connection's.
     */
    private void assertInstallsInItsOwnSchema(MigrationEngine engine, String schema, String history) throws Exception {
        try (Connection connection = db.open()) {
            assertEquals(SchemaState.Kind.NOT_INSTALLED, engine.inspect(connection).kind());
            engine.update(connection, UpgradeListener.NONE);
            assertTrue(tableIn(connection, schema, history), engine.name() + "'s history in " + schema);
            assertTrue(tableIn(connection, schema, "item"));
            assertFalse(tableIn(connection, "public", "item"));
            assertEquals(SchemaState.Kind.CURRENT, engine.inspect(connection).kind());
            assertEquals("public", connection.getSchema(), "the connection's own schema is left alone");
        }
    }

    private BundleFiles flywayRelease1() throws Exception {
        return new BundleFiles(dir.resolve("flyway"))
                .write("db/migration/V1__create_item.sql", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(40));")
                .write("db/migration/V2__seed_items.sql", "INSERT INTO item VALUES (1, 'one');");
    }

    private static FlywayEngine flyway(BundleFiles bundle) throws Exception {
        return new FlywayEngine(List.of("db/migration"), bundle.loader(), "flyway_schema_history");
    }

    /** Creates {@code schema} in this test's database. @return a URL whose connections work in it */
    private String schemaUrl(String schema) throws SQLException {
        try (Connection connection = db.open(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return db.jdbcUrl() + "?currentSchema=" + schema;
    }

    private static boolean tableIn(Connection connection, String schema, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }

    private static List<String> ids(List<PendingChangeset> changesets) {
        return changesets.stream().map(PendingChangeset::id).collect(Collectors.toList());
    }
}
