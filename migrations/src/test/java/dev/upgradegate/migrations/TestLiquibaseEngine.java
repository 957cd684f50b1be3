package dev.upgradegate.migrations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.TestDatabase;

/** Liquibase plans and runs on the real database server. */
class TestLiquibaseEngine {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final ClassLoader RESOURCES = TestLiquibaseEngine.class.getClassLoader();

    private Connection open(String url) throws SQLException {
        return DriverManager.getConnection(url, DB.user(), DB.password());
    }

    @Test
    void plansReadOnlyThenRunsWithProgressAndTags() throws Exception {
        String url = DB.createDatabase("good");
        LiquibaseEngine migrator = new LiquibaseEngine("changelogs/good.xml", RESOURCES);
        try (Connection connection = open(url)) {
            List<PendingChangeset> plan = migrator.inspect(connection).pending();
            assertEquals(List.of("create-item", "tag-1.0", "add-price", "tag-1.1"),
                    plan.stream().map(PendingChangeset::id).collect(Collectors.toList()),
                    "the oracle-only changeset is not planned on MySQL/MariaDB");
            assertEquals("changelogs/good.xml", plan.get(0).file());
            assertEquals("test", plan.get(0).author());
            assertEquals(SchemaState.Kind.NOT_INSTALLED, migrator.inspect(connection).kind());
            try (ResultSet tables = connection.getMetaData().getTables(connection.getCatalog(), null, "%", null)) {
                assertFalse(tables.next(), "planning created nothing");
            }

            List<String> seen = new ArrayList<>();
            List<String> said = new ArrayList<>();
            int[] total = {0};
            migrator.update(connection, new UpgradeListener() {
                @Override
                public void starting(int count) {
                    total[0] = count;
                }

                @Override
                public void changesetStarting(int number, PendingChangeset changeset) {
                    seen.add(number + ":" + changeset.id());
                }

                @Override
                public void engineSaid(String line) {
                    said.add(line);
                }
            });
            assertTrue(said.stream().anyMatch(line -> line.startsWith("ChangeSet ") && line.contains("ran successfully")),
                    "Liquibase's own lines reach the upgrade's log: " + said);
            assertTrue(connection.getAutoCommit(), "the connection goes back to a pool as it came");
            assertEquals(4, total[0]);
            assertEquals(List.of("1:create-item", "2:tag-1.0", "3:add-price", "4:tag-1.1"), seen);
            SchemaState installed = migrator.inspect(connection);
            assertEquals("1.1", installed.newestTag());
            assertEquals(SchemaState.Kind.CURRENT, installed.kind());
        }
    }

    @Test
    void updateSqlShowsTheStatementsWithoutRunningThem() throws Exception {
        String url = DB.createDatabase("sql");
        try (Connection connection = open(url)) {
            StringWriter sql = new StringWriter();
            new LiquibaseEngine("changelogs/good.xml", RESOURCES).preview(connection, sql);
            assertTrue(sql.toString().contains("CREATE TABLE"), sql.toString());
            assertTrue(sql.toString().toLowerCase().contains("item"));
            assertEquals(List.of(), tables(connection),
                    "update-sql ran nothing, not even Liquibase's own tracking and lock tables: the wizard shows it on a GET");
        }
    }

    @Test
    void updateSqlOnAnInstalledSchemaLeavesItsTrackingTablesAsTheyWere() throws Exception {
        String url = DB.createDatabase("sqlinstalled");
        try (Connection connection = open(url)) {
            new LiquibaseEngine("changelogs/good.xml", RESOURCES).update(connection, UpgradeListener.NONE);
            String before = trackingTables(connection);
            StringWriter sql = new StringWriter();
            new LiquibaseEngine("changelogs/failing.xml", RESOURCES).preview(connection, sql);
            assertTrue(sql.toString().contains("no_such_table"), sql.toString());
            assertEquals(before, trackingTables(connection), "no lock taken or left, no changeset recorded");
        }
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SHOW TABLES")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static String trackingTables(Connection connection) throws SQLException {
        StringBuilder rows = new StringBuilder();
        try (Statement statement = connection.createStatement()) {
            for (String query : new String[] {"SELECT ID, LOCKED, LOCKEDBY FROM DATABASECHANGELOGLOCK",
                    "SELECT ID, AUTHOR, FILENAME, TAG FROM DATABASECHANGELOG ORDER BY ORDEREXECUTED"}) {
                try (ResultSet result = statement.executeQuery(query)) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        for (int i = 1; i <= columns; i++) {
                            rows.append(result.getString(i)).append(i < columns ? "|" : "\n");
                        }
                    }
                }
            }
        }
        return rows.toString();
    }

    @Test
    void aFailingChangesetIsNamedWithTheDatabasesWords() throws Exception {
        String url = DB.createDatabase("failing");
        LiquibaseEngine migrator = new LiquibaseEngine("changelogs/failing.xml", RESOURCES);
        try (Connection connection = open(url)) {
            MigrationException failure = assertThrows(MigrationException.class,
                    () -> migrator.update(connection, UpgradeListener.NONE));
            assertNotNull(failure.changeset());
            assertEquals("broken-sql", failure.changeset().id());
            assertTrue(failure.databaseMessage().contains("no_such_table"), failure.databaseMessage());
            assertTrue(failure.getMessage().contains("broken-sql"), failure.getMessage());
            assertEquals(List.of("broken-sql", "tag-2.0"),
                    migrator.inspect(connection).pending().stream().map(PendingChangeset::id).collect(Collectors.toList()),
                    "the changeset before the failure stays applied, the rest is still pending");
        }
    }

    @Test
    void aMissingChangelogIsAClearError() throws Exception {
        String url = DB.createDatabase("missing");
        try (Connection connection = open(url)) {
            MigrationException failure = assertThrows(MigrationException.class,
                    () -> new LiquibaseEngine("changelogs/nope.xml", RESOURCES).inspect(connection));
            assertTrue(failure.getMessage().contains("changelogs/nope.xml"), failure.getMessage());
        }
    }
}
