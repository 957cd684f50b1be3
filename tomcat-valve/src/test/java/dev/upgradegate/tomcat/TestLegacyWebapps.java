package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Webapps as they really ship, behind the valve in embedded Tomcat 11 on the real database server, with
 * nothing configured but their database: untagged Liquibase changelogs, patch releases with nothing to
 * run, code rolled back below its schema, contexts, labels and renamed tables, Flyway (a webapp built by
 * Maven's defaults that bundles its own Flyway), a failed Flyway migration and its repair, and a real
 * third-party migration set from Maven Central.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestLegacyWebapps {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "legacy-webapps-install-token-0123456789";
    /** Flyway's successful migrations; its baseline row below them stands for the empty schema it began with. */
    static final String MIGRATIONS_RUN =
            "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 1 AND type <> 'BASELINE'";

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
                "app.prod.liquibase.contexts=prod",
                "app.prod.liquibase.labels=!demo",
                "app.prod.liquibase.table=SHOP_CHANGELOG",
                "app.prod.liquibase.lockTable=SHOP_CHANGELOG_LOCK",
                "app.hawkbit.flyway.locations=db/migration/MYSQL",
                "app.contradict.migrations=flyway",
                "app.contradict.liquibase.table=X");
        tomcat = new EmbeddedTomcat(base, config, DB);
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

    /** Deploys {@code bundle} at {@code path} on a database of its own, replacing what was there. */
    static void deploy(String path, Path bundle, String database, String jdbcUrl) throws Exception {
        tomcat.redeploy(path, bundle, database, DB, jdbcUrl);
    }

    @Test
    void anUntaggedChangelogIsInstalledThenGatedForItsNextReleaseThenUp() throws Exception {
        String url = DB.createDatabase("untagged");
        TestBundle release1 = new TestBundle("1.0.0").database("untagged")
                .sql("create-item", "CREATE TABLE item (id INT PRIMARY KEY)")
                .sql("seed-item", "INSERT INTO item VALUES (1)");
        deploy("/untagged", release1.directory(base.resolve("untagged-1")), "untagged", url);
        String fresh = api.awaitState("/untagged", "NOT_INSTALLED").body();
        assertTrue(fresh.contains("\"engine\":\"liquibase\""), fresh);
        assertTrue(fresh.contains("\"id\":\"create-item\"") && fresh.contains("\"id\":\"seed-item\""), fresh);
        assertEquals(503, http.get("/untagged/index.html").statusCode());

        api.upgradeToUp("/untagged");
        String up = api.status("/untagged");
        assertTrue(up.contains("\"schemaVersion\":\"2 changesets applied, the last on "
                + LocalDate.now(ZoneOffset.UTC) + "\""), up);
        assertTrue(http.get("/untagged/index.html").body().contains(TestBundle.CONTENT));

        TestBundle release2 = new TestBundle("1.1.0").database("untagged")
                .sql("create-item", "CREATE TABLE item (id INT PRIMARY KEY)")
                .sql("seed-item", "INSERT INTO item VALUES (1)")
                .sql("add-price", "ALTER TABLE item ADD price INT");
        deploy("/untagged", release2.directory(base.resolve("untagged-2")), "untagged", url);
        String behind = api.awaitState("/untagged", "UPGRADE_REQUIRED").body();
        assertTrue(behind.contains("\"pendingChangesets\":[{\"id\":\"add-price\""), behind);
        assertEquals(503, http.get("/untagged/index.html").statusCode(), "the new code waits for its schema");
        api.upgradeToUp("/untagged");
        assertTrue(http.get("/untagged/index.html").body().contains(TestBundle.CONTENT));
        assertEquals(1, DatabaseChecks.count(url, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = 'add-price'"));
        assertEnginesQuiet();
    }

    /**
     * Liquibase's and Flyway's own lines stay below INFO: the container's log gets UpgradeGate's lines, which
     * carry their errors.
     */
    static void assertEnginesQuiet() {
        for (String line : log.lines()) {
            String[] levelAndLogger = line.split(" ", 3);
            boolean loud = !levelAndLogger[0].startsWith("FINE");
            boolean engine = levelAndLogger[1].startsWith("liquibase") || levelAndLogger[1].startsWith("org.flywaydb")
                    || levelAndLogger[1].equals("dev.upgradegate.liquibase") || levelAndLogger[1].equals("dev.upgradegate.flyway");
            assertFalse(loud && engine, "an engine's line in the container's log: " + line);
        }
    }

    /** Spring Boot's default: a YAML master changelog, found without any setting. */
    @Test
    void aYamlChangelogAtSpringBootsDefaultPlaceIsFoundWithoutASetting() throws Exception {
        String url = DB.createDatabase("yaml");
        TestBundle bundle = new TestBundle("1.0.0").database("yaml")
                .file("WEB-INF/classes/db/changelog/db.changelog-master.yaml", String.join("\n",
                        "databaseChangeLog:",
                        "  - changeSet:",
                        "      id: create-item",
                        "      author: dev",
                        "      changes:",
                        "        - sql:",
                        "            sql: CREATE TABLE item (id INT PRIMARY KEY)",
                        ""));
        deploy("/yaml", bundle.directory(base.resolve("yaml")), "yaml", url);
        String fresh = api.awaitState("/yaml", "NOT_INSTALLED").body();
        assertTrue(fresh.contains("\"migrations\":\"db/changelog/db.changelog-master.yaml\"")
                && fresh.contains("\"id\":\"create-item\""), fresh);
        api.upgradeToUp("/yaml");
        assertEquals(1, DatabaseChecks.count(url, "SELECT COUNT(*) FROM DATABASECHANGELOG WHERE ID = 'create-item'"));
    }

    @Test
    void aPatchReleaseWithNothingToRunIsUpAtOnceWithoutAnUpgrade() throws Exception {
        String url = DB.createDatabase("patch");
        TestBundle release = new TestBundle("2.0.0").database("patch")
                .sql("create-item", "CREATE TABLE item (id INT PRIMARY KEY)").tag("2.0.0");
        deploy("/patch", release.directory(base.resolve("patch-2.0.0")), "patch", url);
        api.awaitState("/patch", "NOT_INSTALLED");
        api.upgradeToUp("/patch");

        TestBundle patch = new TestBundle("2.0.1").database("patch")
                .sql("create-item", "CREATE TABLE item (id INT PRIMARY KEY)").tag("2.0.0");
        deploy("/patch", patch.directory(base.resolve("patch-2.0.1")), "patch", url);
        HttpResponse<String> first = http.get("/patch/index.html");
        assertEquals(200, first.statusCode(), "not a second of 503: " + first.body());
        assertTrue(first.body().contains(TestBundle.CONTENT));
        String up = api.status("/patch");
        assertTrue(up.contains("\"state\":\"UP\"") && up.contains("\"bundleVersion\":\"2.0.1\"")
                && up.contains("\"schemaVersion\":\"2.0.0\""), up);
        assertFalse(up.contains("\"upgrade\":"), "no upgrade ran for the patch: " + up);
    }

    @Test
    void codeRolledBackBelowItsSchemaIsSchemaNewerWithAndWithoutTags() throws Exception {
        for (boolean tagged : new boolean[] {true, false}) {
            String name = tagged ? "rolltag" : "rollnotag";
            String url = DB.createDatabase(name);
            TestBundle v1 = new TestBundle("1.0.0").database(name).sql("create-item", "CREATE TABLE item (id INT)");
            TestBundle v2 = new TestBundle("2.0.0").database(name).sql("create-item", "CREATE TABLE item (id INT)");
            if (tagged) {
                v1.tag("1.0.0");
                v2.tag("1.0.0");
            }
            v2.sql("add-price", "ALTER TABLE item ADD price INT");
            if (tagged) {
                v2.tag("2.0.0");
            }
            deploy("/" + name, v2.directory(base.resolve(name + "-2")), name, url);
            api.awaitState("/" + name, "NOT_INSTALLED");
            api.upgradeToUp("/" + name);

            deploy("/" + name, v1.directory(base.resolve(name + "-1")), name, url);
            String newer = api.awaitState("/" + name, "SCHEMA_NEWER").body();
            assertTrue(newer.contains(tagged ? "\"ahead\":[\"db/changelog/db.changelog-master.xml::add-price::reliability\""
                    : "\"ahead\":[\"db/changelog/db.changelog-master.xml::add-price::reliability\"]"), newer);
            assertEquals(503, http.get("/" + name + "/index.html").statusCode());
            assertEquals(409, http.upgrade("/" + name, TOKEN).statusCode(), "never upgraded downwards");
        }
    }

    @Test
    void contextsLabelsAndRenamedTablesAreHonoured() throws Exception {
        String url = DB.createDatabase("prod");
        TestBundle bundle = new TestBundle("3.0.0").database("prod")
                .file(TestBundle.CHANGELOG, TestBundle.changelog(
                        "  <changeSet id=\"create-item\" author=\"dev\"><sql>CREATE TABLE item (id INT)</sql></changeSet>\n"
                        + "  <changeSet id=\"test-data\" author=\"dev\" context=\"test\"><sql>INSERT INTO item VALUES (1)</sql></changeSet>\n"
                        + "  <changeSet id=\"demo-data\" author=\"dev\" labels=\"demo\"><sql>INSERT INTO item VALUES (2)</sql></changeSet>\n"
                        + "  <changeSet id=\"prod-data\" author=\"dev\" context=\"prod\"><sql>INSERT INTO item VALUES (3)</sql></changeSet>\n"));
        deploy("/prod", bundle.directory(base.resolve("prod")), "prod", url);
        String fresh = api.awaitState("/prod", "NOT_INSTALLED").body();
        assertTrue(fresh.contains("create-item") && fresh.contains("prod-data"), fresh);
        assertFalse(fresh.contains("test-data") || fresh.contains("demo-data"), "filtered as Liquibase would: " + fresh);
        api.upgradeToUp("/prod");
        assertEquals(3, DatabaseChecks.count(url, "SELECT SUM(id) FROM item"), "only prod-data's row");
        assertEquals(2, DatabaseChecks.count(url, "SELECT COUNT(*) FROM SHOP_CHANGELOG"));
        assertEquals(0, DatabaseChecks.count(url, "SELECT COUNT(*) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'DATABASECHANGELOG'"));
    }

    @Test
    void aFlywayWebappBuiltByMavenIsInstalledThenUpgradedAndItsOwnFlywayKeepsWorking() throws Exception {
        String url = DB.createDatabase("notes");
        deploy("/notes", EmbeddedTomcat.WARS.resolve("notes-1.0.0.war"), "notes", url);
        String fresh = api.awaitState("/notes", "NOT_INSTALLED").body();
        assertTrue(fresh.contains("\"engine\":\"flyway\""), fresh);
        assertTrue(fresh.contains("\"bundleVersion\":\"1.0.0\"") && fresh.contains(
                "META-INF/maven/dev.upgradegate/upgradegate-test-webapp-notes-v1/pom.properties"), fresh);
        assertTrue(fresh.contains("\"file\":\"V1__create_note.sql\"") && fresh.contains("\"file\":\"V2__seed_notes.sql\""),
                fresh);
        assertEquals(503, http.get("/notes/").statusCode());

        api.upgradeToUp("/notes");
        assertTrue(http.get("/notes/").body().contains("1: Buy milk"));
        // Its own Flyway's page is checked where UpgradeGate's Flyway is relocated, as users get it (the agent
        // module's ITLegacyWebapps): this test's class path holds UpgradeGate's Flyway under its own name.

        deploy("/notes", EmbeddedTomcat.WARS.resolve("notes-1.1.0.war"), "notes", url);
        String behind = api.awaitState("/notes", "UPGRADE_REQUIRED").body();
        assertTrue(behind.contains("\"bundleVersion\":\"1.1.0\"") && behind.contains("\"file\":\"V3__add_note_tags.sql\""),
                behind);
        assertTrue(behind.contains("\"schemaVersion\":\"version 2, 2 migrations applied"), behind);
        api.upgradeToUp("/notes");
        assertEquals(1, DatabaseChecks.count(url, "SELECT COUNT(*) FROM note WHERE tags = 'home'"));
        assertEquals(3, DatabaseChecks.count(url, MIGRATIONS_RUN));
        assertEnginesQuiet();
    }

    @Test
    void aFailedFlywayMigrationIsNamedThenRepairedThenAFixedBundleCompletes() throws Exception {
        String url = DB.createDatabase("notes2");
        TestBundle broken = new TestBundle("1.0.0").database("notes2").mavenBuilt("com.example", "notes2")
                .flyway("V1__create_note.sql", "CREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(20));")
                .flyway("V2__add_tags.sql", "ALTER TABLE note ADD tags VARCHAR(20);\nALTER TABLE no_such_table ADD x INT;");
        deploy("/notes2", broken.directory(base.resolve("notes2-broken")), "notes2", url);
        api.awaitState("/notes2", "NOT_INSTALLED");
        assertEquals(202, http.upgrade("/notes2", TOKEN).statusCode());
        String failed = api.awaitState("/notes2", "UPGRADE_FAILED").body();
        assertTrue(failed.contains("V2__add_tags.sql"), "the status names the script: " + failed);
        assertTrue(failed.contains("no_such_table"), "and the database's words, for the admin: " + failed);
        String visitor = http.get("/notes2/install/status").body();
        assertFalse(visitor.contains("no_such_table") || visitor.contains("V2__"), "never for visitors: " + visitor);

        HttpResponse<String> unconfirmed = http.sendBody("POST", "/notes2/install/repair", "script=V1__create_note.sql",
                "Authorization", "Bearer " + TOKEN, "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(409, unconfirmed.statusCode(), "the repair must name the failed script: " + unconfirmed.body());
        HttpResponse<String> repaired = http.sendBody("POST", "/notes2/install/repair", "script=V2__add_tags.sql",
                "Authorization", "Bearer " + TOKEN, "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, repaired.statusCode(), repaired.body());
        assertTrue(repaired.body().contains("\"result\":\"REPAIRED\""), repaired.body());
        assertEquals(0, DatabaseChecks.count(url, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 0"));
        assertTrue(log.any("removed the failed record of V2__add_tags.sql"), "the repair is logged");

        TestBundle fixed = new TestBundle("1.0.1").database("notes2").mavenBuilt("com.example", "notes2")
                .flyway("V1__create_note.sql", "CREATE TABLE note (id INT PRIMARY KEY, text VARCHAR(20));")
                .flyway("V2__add_tags.sql", "ALTER TABLE note ADD COLUMN IF NOT EXISTS tags VARCHAR(20);");
        deploy("/notes2", fixed.directory(base.resolve("notes2-fixed")), "notes2", url);
        api.awaitState("/notes2", "UPGRADE_REQUIRED");
        api.upgradeToUp("/notes2");
        assertEquals(2, DatabaseChecks.count(url, MIGRATIONS_RUN));
    }

    /** Eclipse hawkBit's own Flyway migrations, from its jars on Maven Central: installed, then one release on. */
    @Test
    void realThirdPartyMigrationsInstallFromNothingAndUpgradeAcrossARelease() throws Exception {
        String url = DB.createDatabase("hawkbit");
        TestBundle v025 = new TestBundle("0.2.5").database("hawkbit")
                .library(EmbeddedTomcat.WARS.resolve("hawkbit-repository-jpa-0.2.5.jar"));
        deploy("/hawkbit", v025.directory(base.resolve("hawkbit-0.2.5")), "hawkbit", url);
        String fresh = api.awaitState("/hawkbit", "NOT_INSTALLED").body();
        assertTrue(fresh.contains("\"engine\":\"flyway\"") && fresh.contains("V1_0_1__init___MYSQL.sql"), fresh);
        api.upgradeToUp("/hawkbit");
        assertEquals(29, DatabaseChecks.count(url, MIGRATIONS_RUN), "every migration of hawkBit 0.2.5");

        TestBundle v030 = new TestBundle("0.3.0M7").database("hawkbit")
                .library(EmbeddedTomcat.WARS.resolve("hawkbit-repository-jpa-0.3.0M7.jar"));
        deploy("/hawkbit", v030.directory(base.resolve("hawkbit-0.3.0M7")), "hawkbit", url);
        String behind = api.awaitState("/hawkbit", "UPGRADE_REQUIRED").body();
        assertTrue(behind.contains("V1_12_17__add_index_target_modified___MYSQL.sql"), behind);
        api.upgradeToUp("/hawkbit");
        assertEquals(37, DatabaseChecks.count(url, MIGRATIONS_RUN), "every migration of hawkBit 0.3.0M7, once");
    }

    @Test
    void aBundleWithoutMigrationsOrWithContradictorySettingsIsMisconfiguredNamingWhatIsWrong() throws Exception {
        String url = DB.createDatabase("nomig");
        deploy("/nomig", new TestBundle("1.0.0").database("nomig").directory(base.resolve("nomig")), "nomig", url);
        HttpResponse<String> page = http.get("/nomig/index.html");
        assertEquals(503, page.statusCode());
        assertTrue(page.body().contains("Err 7"), page.body());
        assertTrue(log.any("nomig: the bundle carries no migrations: neither a Liquibase changelog at"
                + " db/changelog/db.changelog-master.xml or db/changelog/db.changelog-master.yaml or"),
                String.join("\n", log.lines()));
        assertTrue(log.any("(key changelog) nor Flyway migrations at db/migration"), String.join("\n", log.lines()));

        deploy("/contradict", new TestBundle("1.0.0").database("nomig").sql("a", "SELECT 1")
                .directory(base.resolve("contradict")), "nomig", url);
        assertEquals(503, http.get("/contradict/index.html").statusCode());
        assertTrue(log.any("app.contradict.liquibase.table: contradicts app.contradict.migrations=flyway"),
                String.join("\n", log.lines()));
    }
}
