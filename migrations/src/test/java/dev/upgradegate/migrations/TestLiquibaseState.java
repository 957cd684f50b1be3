package dev.upgradegate.migrations;

import static dev.upgradegate.migrations.BundleFiles.changelog;
import static dev.upgradegate.migrations.BundleFiles.include;
import static dev.upgradegate.migrations.BundleFiles.sql;
import static dev.upgradegate.migrations.BundleFiles.tag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/**
 * What Liquibase changelogs as they really ship say about a real database: untagged, tagged, patch
 * releases, rolled back code, contexts and labels, runAlways and runOnChange, renamed tables.
 */
class TestLiquibaseState {

    static final String MASTER = "db/changelog/db.changelog-master.xml";

    @RegisterExtension
    final TestDatabase db = new TestDatabase();

    @TempDir
    Path dir;


    private static List<String> ids(List<PendingChangeset> changesets) {
        return changesets.stream().map(PendingChangeset::id).collect(Collectors.toList());
    }

    /** Release 1 of an untagged changelog, laid out as most are: a master including one file per release. */
    private BundleFiles release1() throws Exception {
        return new BundleFiles(dir.resolve("r1"))
                .write(MASTER, changelog(include("1.0.xml")))
                .write("db/changelog/1.0.xml", changelog(sql("create-item", "", "CREATE TABLE item (id INT)"),
                        sql("seed-item", "", "INSERT INTO item VALUES (1)")));
    }

    private BundleFiles release2() throws Exception {
        return new BundleFiles(dir.resolve("r2"))
                .write(MASTER, changelog(include("1.0.xml"), include("2.0.xml")))
                .write("db/changelog/1.0.xml", changelog(sql("create-item", "", "CREATE TABLE item (id INT)"),
                        sql("seed-item", "", "INSERT INTO item VALUES (1)")))
                .write("db/changelog/2.0.xml", changelog(sql("add-price", "", "ALTER TABLE item ADD price INT")));
    }

    @Test
    void anUntaggedChangelogIsInstalledThenCurrentThenBehindByTheNextRelease() throws Exception {
        LiquibaseEngine first = new LiquibaseEngine(MASTER, release1().loader());
        try (Connection connection = db.open()) {
            SchemaState empty = first.inspect(connection);
            assertEquals(SchemaState.Kind.NOT_INSTALLED, empty.kind());
            assertEquals(List.of("create-item", "seed-item"), ids(empty.pending()));
            assertNull(empty.label());

            first.update(connection, UpgradeListener.NONE);
            SchemaState installed = first.inspect(connection);
            assertEquals(SchemaState.Kind.CURRENT, installed.kind(), "no tag, nothing pending: the code fits");
            assertEquals("2 changesets applied, the last on " + LocalDate.now(ZoneOffset.UTC), installed.label());

            LiquibaseEngine second = new LiquibaseEngine(MASTER, release2().loader());
            SchemaState behind = second.inspect(connection);
            assertEquals(SchemaState.Kind.BEHIND, behind.kind());
            assertEquals(List.of("add-price"), ids(behind.pending()));
            assertEquals("db/changelog/2.0.xml", behind.pending().get(0).file());

            second.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, second.inspect(connection).kind());
        }
    }

    @Test
    void codeRolledBackBelowAnUntaggedSchemaIsAhead() throws Exception {
        try (Connection connection = db.open()) {
            new LiquibaseEngine(MASTER, release2().loader()).update(connection, UpgradeListener.NONE);
            SchemaState state = new LiquibaseEngine(MASTER, release1().loader()).inspect(connection);
            assertEquals(SchemaState.Kind.AHEAD, state.kind(), "2.0.xml lies in the changelog's folder");
            assertEquals(List.of("db/changelog/2.0.xml::add-price::dev"), state.ahead());
            assertTrue(state.pending().isEmpty());
        }
    }

    @Test
    void aPatchReleaseWithTheSameChangelogIsCurrentAndKeepsItsTag() throws Exception {
        BundleFiles tagged = new BundleFiles(dir.resolve("tagged"))
                .write(MASTER, changelog(sql("create-item", "", "CREATE TABLE item (id INT)"), tag("2.0.0")));
        LiquibaseEngine engine = new LiquibaseEngine(MASTER, tagged.loader());
        try (Connection connection = db.open()) {
            engine.update(connection, UpgradeListener.NONE);
            // A 2.0.1 bundle carries the very same changelog: nothing to run, whatever its version says.
            SchemaState patch = new LiquibaseEngine(MASTER, tagged.loader()).inspect(connection);
            assertEquals(SchemaState.Kind.CURRENT, patch.kind());
            assertEquals("2.0.0", patch.newestTag());
            assertEquals("2.0.0", patch.label());
        }
    }

    /** A hotfix branch tagged 1.5.1 after 2.0.0: the newest tag is the last one executed, not the highest. */
    @Test
    void theNewestTagIsTheLastExecutedNotTheHighest() throws Exception {
        BundleFiles bundle = new BundleFiles(dir.resolve("tags"))
                .write(MASTER, changelog(sql("create-item", "", "CREATE TABLE item (id INT)"), tag("2.0.0"),
                        sql("hotfix", "", "ALTER TABLE item ADD note VARCHAR(20)"), tag("1.5.1")));
        LiquibaseEngine engine = new LiquibaseEngine(MASTER, bundle.loader());
        try (Connection connection = db.open()) {
            engine.update(connection, UpgradeListener.NONE);
            SchemaState state = engine.inspect(connection);
            assertEquals("1.5.1", state.newestTag());
            assertEquals("1.5.1", state.label());
        }
    }

    @Test
    void runAlwaysNeverHoldsTheGateButAChangedRunOnChangeDoes() throws Exception {
        BundleFiles bundle = new BundleFiles(dir.resolve("b"))
                .write(MASTER, changelog(sql("create-item", "", "CREATE TABLE item (id INT)"),
                        sql("refresh-stats", "runAlways=\"true\"", "ANALYZE TABLE item"),
                        sql("view", "runOnChange=\"true\"", "CREATE OR REPLACE VIEW v AS SELECT id FROM item")));
        try (Connection connection = db.open()) {
            new LiquibaseEngine(MASTER, bundle.loader()).update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, new LiquibaseEngine(MASTER, bundle.loader()).inspect(connection).kind(),
                    "a runAlways changeset would run on every update, and must not count as pending");

            bundle.write(MASTER, changelog(sql("create-item", "", "CREATE TABLE item (id INT)"),
                    sql("refresh-stats", "runAlways=\"true\"", "ANALYZE TABLE item"),
                    sql("view", "runOnChange=\"true\"", "CREATE OR REPLACE VIEW v AS SELECT id, id * 2 AS twice FROM item")));
            LiquibaseEngine changed = new LiquibaseEngine(MASTER, bundle.loader());
            SchemaState state = changed.inspect(connection);
            assertEquals(SchemaState.Kind.BEHIND, state.kind());
            assertEquals(List.of("view"), ids(state.pending()), "the changed runOnChange view reruns");
            changed.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, changed.inspect(connection).kind());
        }
    }

    @Test
    void contextsLabelsAndDbmsDecideWhatIsPendingAsLiquibaseWould() throws Exception {
        BundleFiles bundle = new BundleFiles(dir.resolve("c"))
                .write(MASTER, changelog(sql("create-item", "", "CREATE TABLE item (id INT)"),
                        sql("test-data", "context=\"test\"", "INSERT INTO item VALUES (42)"),
                        sql("demo-data", "labels=\"demo\"", "INSERT INTO item VALUES (43)"),
                        sql("eu-only", "context=\"eu\"", "INSERT INTO item VALUES (44)"),
                        sql("pg-only", "dbms=\"postgresql\"", "CREATE EXTENSION hstore")));
        LiquibaseEngine prod = new LiquibaseEngine(MASTER, bundle.loader(), "prod, eu", "!demo", null, null, null);
        try (Connection connection = db.open()) {
            assertEquals(List.of("create-item", "eu-only"), ids(prod.inspect(connection).pending()));
            prod.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, prod.inspect(connection).kind());
            assertEquals(List.of(44), items(connection), "the update ran exactly what was pending");

            LiquibaseEngine everything = new LiquibaseEngine(MASTER, bundle.loader());
            assertEquals(List.of("test-data", "demo-data"), ids(everything.inspect(connection).pending()),
                    "without contexts and labels, Liquibase runs every changeset but the other database's");
        }
    }

    @Test
    void renamedTablesAreReadAndWritten() throws Exception {
        BundleFiles bundle = new BundleFiles(dir.resolve("t"))
                .write(MASTER, changelog(sql("create-item", "", "CREATE TABLE item (id INT)")));
        LiquibaseEngine engine = new LiquibaseEngine(MASTER, bundle.loader(), null, null, "SHOP_CHANGELOG", "SHOP_LOCK", null);
        try (Connection connection = db.open()) {
            assertEquals(SchemaState.Kind.NOT_INSTALLED, engine.inspect(connection).kind());
            engine.update(connection, UpgradeListener.NONE);
            assertEquals(SchemaState.Kind.CURRENT, engine.inspect(connection).kind());
            assertTrue(tableExists(connection, "SHOP_CHANGELOG") && tableExists(connection, "SHOP_LOCK"));
            assertFalse(tableExists(connection, "DATABASECHANGELOG"), "the default table was never made");
            assertEquals(SchemaState.Kind.NOT_INSTALLED,
                    new LiquibaseEngine(MASTER, bundle.loader()).inspect(connection).kind(),
                    "an engine looking at the default table sees nothing");
        }
    }

    @Test
    void anUnchangedHistoryIsNotReadAgain() throws Exception {
        LiquibaseEngine engine = new LiquibaseEngine(MASTER, release1().loader());
        try (Connection connection = db.open()) {
            engine.update(connection, UpgradeListener.NONE);
            SchemaState first = engine.inspect(connection);
            assertSame(first, engine.inspect(connection), "the fingerprint matched: the rows were not judged again");
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM DATABASECHANGELOG WHERE ID = 'seed-item'");
            }
            assertEquals(List.of("seed-item"), ids(engine.inspect(connection).pending()),
                    "a changed history is read again");
        }
    }

    private static List<Integer> items(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id FROM item ORDER BY id")) {
            List<Integer> ids = new java.util.ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getInt(1));
            }
            return ids;
        }
    }

    private static boolean tableExists(Connection connection, String table) throws SQLException {
        try (ResultSet tables = connection.getMetaData().getTables(connection.getCatalog(), null, table, null)) {
            return tables.next();
        }
    }
}
