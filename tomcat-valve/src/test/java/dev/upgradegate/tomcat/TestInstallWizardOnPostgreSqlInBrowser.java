package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The install wizard in Debian's headless Chromium on PostgreSQL, the shop WARs in embedded Tomcat 11: the overview
 * with the SQL preview, the backup by pg_dump, the progress and the result; a fresh database that the preview leaves
 * empty; and a failing changeset told in PostgreSQL's own words. A PNG per step under
 * {@code target/wizard-screenshots-postgresql/}.
 *
 * <p>As {@link TestInstallWizardInBrowser} does with MySQL's table lock, the test holds an ACCESS EXCLUSIVE lock on
 * a table from its own transaction where a step is too fast to see: pg_dump and the upgrade wait behind it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestInstallWizardOnPostgreSqlInBrowser {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    static final String TOKEN = "postgresql-browser-token-0123456789";
    static final Path SCREENSHOTS = Path.of("target/wizard-screenshots-postgresql");

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static Path backups;
    static String shopDb;
    static String brokenDb;
    static String freshDb;
    static WizardBrowser wizard;

    @BeforeAll
    static void start() throws Exception {
        backups = base.resolve("backups");
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "backup.dir=" + backups,
                "datasource=jdbc/ShopDB",
                "app.broken.backup.allowOwn=true",
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB, "PostgreSqlWizard");
        http = tomcat.http;

        shopDb = DB.jdbcUrl();
        brokenDb = DB.createDatabase("broken");
        freshDb = DB.createDatabase("fresh");
        WizardShops.installRelease1(tomcat, TOKEN, "/shop", shopDb);
        WizardShops.installRelease1(tomcat, TOKEN, "/broken", brokenDb);
        tomcat.deploy("/shop", "shop-2.0.0.war", shopDb);
        Path broken = WizardShops.withFailingChangeset(base.resolve("bundles/broken"), "2.0.0-create-category",
                "ALTER TABLE product ADD COLUMN weight INT; ALTER TABLE product_archive ADD COLUMN weight INT");
        tomcat.deploy("/broken", broken.toAbsolutePath().toString(), brokenDb);
        tomcat.deploy("/fresh", "shop-2.0.0.war", freshDb);
        WizardShops.awaitDeployed(http);

        wizard = new WizardBrowser("http://127.0.0.1:" + http.get("/").uri().getPort(), TOKEN,
                base.resolve("chromium-profile"), SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (wizard != null) {
                wizard.close();
            }
        } finally {
            if (tomcat != null) {
                tomcat.close();
            }
        }
    }

    @Test
    @Order(1)
    void theOverviewTheSqlPgDumpsBackupTheProgressAndTheResult() throws Exception {
        wizard.signIn("/shop");
        String overview = wizard.text();
        assertTrue(overview.contains("UPGRADE_REQUIRED") && overview.contains("schema 1.0.0 \u2192 bundle 2.0.0"),
                overview);
        for (String id : new String[] {"2.0.0-add-product-sku", "2.0.0-create-category", "2.0.0-tag"}) {
            assertTrue(overview.contains(id), id + " pending in " + overview);
        }
        assertTrue(wizard.driver.findElements(By.cssSelector(".checks li b.bad")).isEmpty(), overview);
        wizard.screenshot("overview");

        wizard.click("View the SQL it will run");
        wizard.expectHeading("The SQL of the upgrade");
        String sql = wizard.driver.findElement(By.tagName("pre")).getText();
        assertTrue(sql.contains("ALTER TABLE") && sql.contains("sku") && sql.contains("databasechangelog"), sql);
        wizard.screenshot("update-sql");
        wizard.click("Back to the overview");

        wizard.click("Continue");
        wizard.expectHeading("Backup");
        assertTrue(wizard.text().contains("UpgradeGate runs pg_dump"), wizard.text());
        wizard.screenshot("backup");
        try (Connection blocker = holding(shopDb, "product")) {
            wizard.press("Make the backup now");
            wizard.waitFor(d -> wizard.text().contains("Making the backup"));
            assertTrue(wizard.text().contains("Written so far"), wizard.text());
            wizard.screenshot("backup-running");
            blocker.rollback();
        }
        wizard.waitFor(d -> wizard.text().contains("The backup is written."));
        Path file = WizardShops.onlyBackup(backups, "shop");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String done = wizard.text();
        assertTrue(done.contains("gunzip < " + file + " | psql"), "psql restores pg_dump's SQL: " + done);
        assertEquals("3", wizard.driver.findElement(By.xpath("//tr[td[1]='public.product']/td[2]")).getText(), done);
        wizard.screenshot("backup-done");

        wizard.click("Continue");
        wizard.expectHeading("Ready to upgrade");
        assertTrue(wizard.text().contains(file.toString()), wizard.text());
        try (Connection blocker = holding(shopDb, "product")) {
            wizard.press("Start the Upgrade");
            wizard.waitFor(d -> wizard.text().contains("Upgrading shop to 2.0.0"));
            // The first changeset alters product, which our lock holds: the run waits on it, visibly.
            wizard.waitFor(d -> "2.0.0-add-product-sku".equals(wizard.driver.findElement(By.id("p-id")).getText()));
            assertTrue(wizard.driver.findElement(By.id("p-count")).getText().matches("1 of \\d+"), wizard.text());
            HttpResponse<String> visitor = http.get("/shop/products");
            assertEquals(503, visitor.statusCode());
            assertTrue(visitor.body().contains("UPGRADE_RUNNING"), visitor.body());
            wizard.screenshot("progress");
            blocker.rollback();
        }
        wizard.waitFor(d -> "Upgraded to 2.0.0".equals(wizard.heading()));
        assertTrue(wizard.text().contains("shop is up again"), wizard.text());
        wizard.screenshot("success");

        wizard.goToUpgraded("shop", "2.0.0");
        assertEquals(404, http.get("/shop/install/").statusCode(), "the install endpoint is closed");
        assertEquals(2, DatabaseChecks.count(shopDb, "SELECT COUNT(*) FROM category"));
    }

    @Test
    @Order(2)
    void onAnEmptyDatabaseTheSqlIsShownAndNothingIsCreated() throws Exception {
        wizard.signIn("/fresh");
        assertTrue(wizard.text().contains("NOT_INSTALLED") && wizard.text().contains("schema none \u2192 bundle 2.0.0"),
                wizard.text());
        wizard.click("View the SQL it will run");
        String sql = wizard.driver.findElement(By.tagName("pre")).getText();
        assertTrue(sql.contains("CREATE TABLE") && sql.contains("product"), sql);
        wizard.screenshot("fresh-sql");
        assertEquals(List.of(), tables(freshDb), "viewing the SQL created nothing, not even Liquibase's own tables");
    }

    /**
     * The second changeset fails at its second statement: PostgreSQL's own words reach the administrator, never a
     * visitor; its first statement, DDL, is rolled back with it (PostgreSQL's transactional DDL), while the changeset
     * before it stays applied as Liquibase recorded it.
     */
    @Test
    @Order(3)
    void aFailingChangesetIsToldInPostgreSqlsOwnWords() throws Exception {
        wizard.signIn("/broken");
        assertTrue(wizard.text().contains(WizardShops.FAILING), wizard.text());
        wizard.click("Continue");
        wizard.expectHeading("Backup");
        wizard.confirmOwnBackup("Skip the backup");
        wizard.click("Continue");
        wizard.expectHeading("Ready to upgrade");
        wizard.press("Start the Upgrade");
        wizard.waitFor(d -> "Upgrade Failed".equals(wizard.heading()));
        String failure = wizard.text();
        assertTrue(failure.contains(WizardShops.FAILING)
                && failure.contains("relation \"product_archive\" does not exist"), failure);
        wizard.screenshot("failure");

        HttpResponse<String> visitor = http.get("/broken/products");
        assertEquals(503, visitor.statusCode());
        assertFalse(visitor.body().contains("product_archive"), visitor.body());
        assertEquals(List.of("1.0.0-create-product", "1.0.0-seed-products", "1.0.0-tag", "2.0.0-add-product-sku"),
                DatabaseChecks.strings(brokenDb, "SELECT id FROM databasechangelog ORDER BY orderexecuted"));
        assertEquals(List.of("created_at", "id", "name", "price", "sku"), DatabaseChecks.strings(brokenDb,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                        + " AND table_name = 'product' ORDER BY column_name"), "no weight: nothing half-applied");
    }

    /** Holds {@code table} in ACCESS EXCLUSIVE mode until the transaction ends (rollback or close). */
    static Connection holding(String url, String table) throws SQLException {
        Connection connection = DatabaseChecks.connect(url);
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE");
        }
        return connection;
    }

    static List<String> tables(String url) throws SQLException {
        return DatabaseChecks.strings(url,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
    }
}
