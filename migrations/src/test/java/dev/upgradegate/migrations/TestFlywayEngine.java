package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/** Flyway migrations as webapps ship them, in {@code db/migration}, on the real database server. */
class TestFlywayEngine {

    static final String TABLE = "flyway_schema_history";

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;


    private static FlywayEngine engine(BundleFiles bundle) throws Exception {
        return new FlywayEngine(List.of("db/migration"), bundle.loader(), TABLE);
    }

    private BundleFiles release1() throws Exception {
        return new BundleFiles(dir.resolve("r1"))
                .write("db/migration/V1__create_item.sql", "CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(40));")
                .write("db/migration/V2__seed_items.sql", "INSERT INTO item VALUES (1, 'one');\nINSERT INTO item VALUES (2, 'two');");
    }

    private static List<String> scripts(List<PendingChangeset> migrations) {
        return migrations.stream().map(PendingChangeset::file).collect(Collectors.toList());
    }

    @Test
    void freshThenInstalledThenBehindByTheNextRelease() throws Exception {
        BundleFiles bundle = release1();
        FlywayEngine first = engine(bundle);
        try (Connection connection = db.open()) {
            SchemaState empty = first.inspect(connection);
            assertEquals(SchemaState.Kind.NOT_INSTALLED, empty.kind());
            assertEquals(List.of("V1__create_item.sql", "V2__seed_items.sql"), scripts(empty.pending()));
            assertEquals("1", empty.pending().get(0).id());
            assertEquals("create item", empty.pending().get(0).author(), "the description stands where Liquibase has its author");
            assertFalse(tableExists(connection, TABLE), "looking created nothing");

            try (Statement statement = connection.createStatement()) {
                // What the upgrade lease leaves in the schema before Flyway runs.
                statement.execute("CREATE TABLE UPGRADEGATE_LOCK (ID INT PRIMARY KEY)");
            }
            List<String> progress = new ArrayList<>();
            List<String> said = new ArrayList<>();
            int[] total = {0};
            first.update(connection, new UpgradeListener() {
                @Override
                public void starting(int count) {
                    total[0] = count;
                }

                @Override
                public void changesetStarting(int number, PendingChangeset migration) {
                    progress.add(number + ":" + migration.file());
                }

                @Override
                public void engineSaid(String line) {
                    said.add(line);
                }
            });
            assertTrue(said.stream().anyMatch(line -> line.startsWith("Successfully applied 2 migrations")),
                    "Flyway's own lines reach the upgrade's log: " + said);
            assertEquals(2, total[0], "UpgradeGate's own table does not make Flyway refuse a fresh schema");
            assertEquals(List.of("1:V1__create_item.sql", "2:V2__seed_items.sql"), progress);
            assertTrue(connection.getAutoCommit(), "the connection goes back as it came");
            SchemaState installed = first.inspect(connection);
            assertEquals(SchemaState.Kind.CURRENT, installed.kind());
            assertTrue(installed.label().startsWith("version 2, 2 migrations applied, the last on "), installed.label());
            assertNull(installed.newestTag(), "a Flyway version is no release tag");

            bundle.write("db/migration/V3__add_price.sql", "ALTER TABLE item ADD price INT;");
            FlywayEngine second = engine(bundle);
            SchemaState behind = second.inspect(connection);
            assertEquals(SchemaState.Kind.BEHIND, behind.kind());
            assertEquals(List.of("V3__add_price.sql"), scripts(behind.pending()));
            second.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, second.inspect(connection).kind());
        }
    }

    @Test
    void aFailedMigrationIsNamedThenRepairedThenAFixedBundleCompletes() throws Exception {
        BundleFiles bundle = release1().write("db/migration/V3__add_price.sql",
                "ALTER TABLE item ADD price INT;\nALTER TABLE no_such_table ADD x INT;");
        try (Connection connection = db.open()) {
            MigrationException failure = assertThrows(MigrationException.class,
                    () -> engine(bundle).update(connection, UpgradeListener.NONE));
            assertEquals("V3__add_price.sql", failure.changeset().file());
            assertTrue(failure.getMessage().contains("V3__add_price.sql"), failure.getMessage());
            assertTrue(failure.databaseMessage().contains("no_such_table"), failure.databaseMessage());

            FlywayEngine broken = engine(bundle);
            SchemaState failed = broken.inspect(connection);
            assertEquals(SchemaState.Kind.FAILED, failed.kind(), "MySQL keeps Flyway's failed row, which blocks it");
            assertEquals("V3__add_price.sql", failed.failed().file());
            assertThrows(MigrationException.class, () -> broken.update(connection, UpgradeListener.NONE),
                    "Flyway refuses to go on past its failed row");

            assertEquals(List.of("V3__add_price.sql"), broken.repair(connection));
            assertEquals(SchemaState.Kind.BEHIND, broken.inspect(connection).kind());
            assertEquals(List.of(), broken.repair(connection), "nothing left to repair");

            // The fixed bundle knows its first statement already ran on MySQL (no transactional DDL).
            bundle.write("db/migration/V3__add_price.sql", "ALTER TABLE item ADD COLUMN IF NOT EXISTS price INT;");
            FlywayEngine fixed = engine(bundle);
            fixed.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, fixed.inspect(connection).kind());
            assertEquals(3, count(connection, "SELECT COUNT(*) FROM " + TABLE + " WHERE success = 1"));
        }
    }

    @Test
    void aLegacySchemaWithoutFlywayHistoryIsNeverTakenForAFreshOne() throws Exception {
        try (Connection connection = db.open()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE customer (id INT PRIMARY KEY)");
            }
            MigrationException refused = assertThrows(MigrationException.class,
                    () -> engine(release1()).update(connection, UpgradeListener.NONE));
            assertTrue(refused.getMessage().contains("non-empty schema"), refused.getMessage());
            assertFalse(tableExists(connection, TABLE), "nothing was baselined behind the administrator's back");
        }
    }

    /** UpgradeGate's relocated Flyway cannot see the webapp's Java migrations: the state must not claim current. */
    @Test
    void aBundleWithFlywayJavaMigrationsIsRefusedNamingThem() throws Exception {
        BundleFiles bundle = release1().write("db/migration/V3__Add_price.class", "not read: only its name counts")
                .write("db/migration/Helper.class", "a helper class of the webapp's, not a migration");
        try (Connection connection = db.open()) {
            MigrationException refused = assertThrows(MigrationException.class, () -> engine(bundle).inspect(connection));
            assertTrue(refused.getMessage().contains("V3__Add_price.class") && !refused.getMessage().contains("Helper"),
                    refused.getMessage());
        }
    }

    @Test
    void migrationsTheBundleDoesNotCarryMakeTheDatabaseAhead() throws Exception {
        BundleFiles bundle = release1().write("db/migration/V3__add_price.sql", "ALTER TABLE item ADD price INT;");
        try (Connection connection = db.open()) {
            engine(bundle).update(connection, UpgradeListener.NONE);
            bundle.delete("db/migration/V3__add_price.sql");
            SchemaState rolledBack = engine(bundle).inspect(connection);
            assertEquals(SchemaState.Kind.AHEAD, rolledBack.kind());
            assertEquals(List.of("version 3 (V3__add_price.sql)"), rolledBack.ahead());
        }
    }

    @Test
    void aChangedRepeatableMigrationIsPending() throws Exception {
        BundleFiles bundle = release1().write("db/migration/R__item_names.sql",
                "CREATE OR REPLACE VIEW item_names AS SELECT name FROM item;");
        try (Connection connection = db.open()) {
            engine(bundle).update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, engine(bundle).inspect(connection).kind());
            bundle.write("db/migration/R__item_names.sql",
                    "CREATE OR REPLACE VIEW item_names AS SELECT id, name FROM item;");
            SchemaState changed = engine(bundle).inspect(connection);
            assertEquals(SchemaState.Kind.BEHIND, changed.kind());
            assertEquals(List.of("R__item_names.sql"), scripts(changed.pending()));
        }
    }

    @Test
    void thePreviewShowsEachPendingScriptAndChangesNothing() throws Exception {
        FlywayEngine engine = engine(release1());
        try (Connection connection = db.open()) {
            StringWriter sql = new StringWriter();
            engine.preview(connection, sql);
            String text = sql.toString();
            assertTrue(text.contains("-- version 1 (V1__create_item.sql): create item"), text);
            assertTrue(text.contains("CREATE TABLE item (id INT PRIMARY KEY, name VARCHAR(40));"), text);
            assertTrue(text.indexOf("V1__create_item.sql") < text.indexOf("V2__seed_items.sql"), text);
            assertFalse(tableExists(connection, TABLE), "a preview creates nothing");
            assertFalse(tableExists(connection, "item"));
        }
    }

    private static int count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(connection.getCatalog(), null, table, null)) {
            return tables.next();
        }
    }
}
