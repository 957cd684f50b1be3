package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * What PostgreSQL adds to the story {@link TestUpgradeGateValveOnPostgreSql} tells with Liquibase, in embedded
 * Tomcat 11: the notes, a Flyway webapp, from nothing to UP, gated for its next release, upgraded, and refused when rolled
 * back, in the connection's schema and in a schema of its own named by flyway.schemas; a legacy webapp's
 * {@code version.query}; and a MariaDB webapp beside a PostgreSQL one on the same host, each gated on its own.
 */
class TestPostgreSqlWebapps {

    @RegisterExtension
    static final TestDatabase PG = new TestDatabase(DatabaseKind.POSTGRESQL);

    @RegisterExtension
    static final TestDatabase MARIADB = new TestDatabase();

    static final String TOKEN = "postgresql-webapps-token-0123456789";

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static InstallApi api;
    static LogCapture log;

    @BeforeAll
    static void startTomcat() throws Exception {
        log = new LogCapture();
        Path config = GateConfig.write(base, TOKEN,
                "datasource=jdbc/ShopDB",
                "app.notes.datasource=jdbc/NotesDB",
                "app.kept.datasource=jdbc/NotesDB",
                "app.kept.flyway.schemas=kept",
                "app.legacy.version.query=SELECT v FROM app_version",
                "app.badquery.version.query=SELECT no_such_column FROM app_version");
        tomcat = new EmbeddedTomcat(base, config, PG, "PostgreSqlWebapps");
        http = tomcat.http;
        api = new InstallApi(http, TOKEN);
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
        log.close();
    }

    static void assertGated(String app, String code) {
        HttpResponse<String> page = http.get(app + "/", "Accept", "text/html");
        assertEquals(503, page.statusCode(), page.body());
        assertTrue(page.body().contains("<title>Down for Maintenance</title>") && page.body().contains(code), page.body());
        assertFalse(page.body().contains(TestBundle.CONTENT), page.body());
    }

    static void execute(String jdbcUrl, String... sql) throws Exception {
        try (Connection connection = DatabaseChecks.connect(jdbcUrl);
             Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    /** The notes, a Flyway webapp built by Maven, whose own servlet reads the notes: release 1.0.0, then 1.1.0. */
    @Test
    void aFlywayWebappIsInstalledGatedForItsNextReleaseUpgradedAndRefusedWhenRolledBack() throws Exception {
        String url = PG.createDatabase("notes");
        Path release1 = EmbeddedTomcat.WARS.resolve("notes-1.0.0.war");
        tomcat.redeploy("/notes", release1, "notes", PG, url);
        String fresh = api.awaitState("/notes", "NOT_INSTALLED").body();
        assertTrue(fresh.contains("\"engine\":\"flyway\"") && fresh.contains("\"file\":\"V1__create_note.sql\"")
                && fresh.contains("\"file\":\"V2__seed_notes.sql\""), fresh);
        assertGated("/notes", "Err 1");
        api.upgradeToUp("/notes");
        assertEquals(2, DatabaseChecks.count(url, "SELECT COUNT(*) FROM note"));
        assertTrue(http.get("/notes/").body().contains("1: Buy milk"), "the webapp's own page, from PostgreSQL");

        tomcat.redeploy("/notes", EmbeddedTomcat.WARS.resolve("notes-1.1.0.war"), "notes", PG, url);
        String behind = api.awaitState("/notes", "UPGRADE_REQUIRED").body();
        assertTrue(behind.contains("\"bundleVersion\":\"1.1.0\"") && behind.contains("\"file\":\"V3__add_note_tags.sql\""),
                behind);
        assertTrue(behind.contains("\"schemaVersion\":\"version 2, 2 migrations applied"), behind);
        assertGated("/notes", "Err 2");
        api.upgradeToUp("/notes");
        assertTrue(http.get("/notes/").body().contains("1: Buy milk"));
        assertEquals(1, DatabaseChecks.count(url, "SELECT COUNT(*) FROM note WHERE tags = 'home'"));
        assertEquals(3, DatabaseChecks.count(url,
                "SELECT COUNT(*) FROM flyway_schema_history WHERE success AND type <> 'BASELINE'"));

        tomcat.redeploy("/notes", release1, "notes", PG, url);
        api.awaitState("/notes", "SCHEMA_NEWER");
        HttpResponse<String> refused = http.upgrade("/notes", TOKEN);
        assertEquals(409, refused.statusCode(), refused.body());
        assertGated("/notes", "Err 5");
    }

    /** The notes' migrations in the schema flyway.schemas names, not the connection's: release 1.0.0, then 1.1.0. */
    @Test
    void aFlywayWebappIsInstalledAndUpgradedInTheSchemaFlywaySchemasNames() throws Exception {
        String url = PG.createDatabase("kept");
        tomcat.redeploy("/kept", EmbeddedTomcat.WARS.resolve("notes-1.0.0.war"), "notes", PG, url);
        String fresh = api.awaitState("/kept", "NOT_INSTALLED").body();
        assertTrue(fresh.contains("\"file\":\"V1__create_note.sql\""), fresh);
        assertGated("/kept", "Err 1");
        api.upgradeToUp("/kept");
        assertEquals(2, DatabaseChecks.count(url, "SELECT COUNT(*) FROM kept.note"));

        tomcat.redeploy("/kept", EmbeddedTomcat.WARS.resolve("notes-1.1.0.war"), "notes", PG, url);
        String behind = api.awaitState("/kept", "UPGRADE_REQUIRED").body();
        assertTrue(behind.contains("\"file\":\"V3__add_note_tags.sql\""), behind);
        api.upgradeToUp("/kept");
        assertEquals(1, DatabaseChecks.count(url, "SELECT COUNT(*) FROM kept.note WHERE tags = 'home'"));
        assertEquals(3, DatabaseChecks.count(url, "SELECT COUNT(*) FROM kept.flyway_schema_history"
                + " WHERE success AND version IS NOT NULL AND type <> 'BASELINE'"));
        assertEquals(0, DatabaseChecks.count(url, "SELECT COUNT(*) FROM information_schema.tables"
                + " WHERE table_schema = 'public' AND table_name IN ('note', 'flyway_schema_history')"),
                "nothing in the connection's schema");
    }

    /**
     * The query's table missing is a database not installed yet; a query PostgreSQL refuses (an unknown column,
     * SQLSTATE 42703) is the setting's fault, MISCONFIGURED, and the log names the webapp and the key.
     */
    @Test
    void aLegacyVersionQueryIsNotInstalledWithoutItsTableAndMisconfiguredWhenPostgreSqlRefusesIt() throws Exception {
        String url = PG.createDatabase("legacy");
        Path bundle = new TestBundle("1.0.0").sql("create-item", "CREATE TABLE item (id INT)").tag("1.0.0")
                .directory(base.resolve("legacy"));
        tomcat.redeploy("/legacy", bundle, "shop", PG, url);
        tomcat.redeploy("/badquery", bundle, "shop", PG, url);
        api.awaitState("/legacy", "NOT_INSTALLED");
        api.awaitState("/badquery", "NOT_INSTALLED");

        execute(url, "CREATE TABLE app_version (v VARCHAR(20))", "INSERT INTO app_version VALUES ('1.0.0')");
        api.awaitState("/legacy", "UP");
        assertTrue(http.get("/legacy/").body().contains(TestBundle.CONTENT));

        api.awaitState("/badquery", "MISCONFIGURED");
        assertGated("/badquery", "Err 7");
        String visitor = http.get("/badquery/", "Accept", "application/json").body();
        assertFalse(visitor.contains("no_such_column") || visitor.contains("SELECT"), visitor);
        assertTrue(log.any("badquery: version.query fails: ERROR: column \"no_such_column\" does not exist"),
                "the log names the webapp, the key and PostgreSQL's reason: " + log.lines());
        assertEquals(200, http.get("/legacy/").statusCode(), "the neighbour on the same database is unaffected");
    }

    @Test
    void aMariaDbWebappAndAPostgreSqlWebappOnOneHostAreEachGatedOnTheirOwn() throws Exception {
        String pgShop = PG.createDatabase("shop");
        String mariaShop = MARIADB.jdbcUrl();
        Path release1 = EmbeddedTomcat.WARS.resolve("shop-1.0.0.war");
        Path release2 = EmbeddedTomcat.WARS.resolve("shop-2.0.0.war");
        tomcat.redeploy("/pgshop", release1, "shop", PG, pgShop);
        tomcat.redeploy("/mariashop", release1, "shop", MARIADB, mariaShop);
        api.awaitState("/pgshop", "NOT_INSTALLED");
        api.awaitState("/mariashop", "NOT_INSTALLED");

        api.upgradeToUp("/pgshop");
        assertEquals(200, http.get("/pgshop/products").statusCode());
        assertGated("/mariashop", "Err 1");
        api.upgradeToUp("/mariashop");
        assertEquals(200, http.get("/mariashop/products").statusCode());

        tomcat.redeploy("/pgshop", release2, "shop", PG, pgShop);
        api.awaitState("/pgshop", "UPGRADE_REQUIRED");
        assertGated("/pgshop", "Err 2");
        assertEquals(200, http.get("/mariashop/products").statusCode(), "the MariaDB webapp is not held up");
        api.upgradeToUp("/pgshop");
        assertEquals(200, http.get("/pgshop/categories").statusCode());
        assertTrue(http.get("/pgshop/").body().contains("Shop 2.0.0"));

        tomcat.redeploy("/mariashop", release2, "shop", MARIADB, mariaShop);
        api.awaitState("/mariashop", "UPGRADE_REQUIRED");
        assertEquals(200, http.get("/pgshop/products").statusCode(), "the PostgreSQL webapp is not held up");
        api.upgradeToUp("/mariashop");
        assertEquals(200, http.get("/mariashop/categories").statusCode());
        assertEquals(2, DatabaseChecks.count(pgShop, "SELECT COUNT(*) FROM category"));
        assertFalse(log.any(TOKEN));
    }
}
