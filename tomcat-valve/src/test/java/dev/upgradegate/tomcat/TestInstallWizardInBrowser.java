package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import dev.upgradegate.migrations.backup.SqlScript;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The whole install wizard in Debian's headless Chromium, driven by Selenium against embedded Tomcat 11
 * and the real database: what an administrator sees at every step, saved as a PNG per step under
 * {@code target/wizard-screenshots/}.
 *
 * <p>Where a step is too fast to see (the backup, the upgrade), the test holds a table lock from its
 * own connection, so that the page is caught mid-way every time rather than by luck, and releases it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestInstallWizardInBrowser {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "browser-test-install-token-0123456789";
    static final String LICENSE = "Shop Licence 2.0\n\nYou may use the shop for testing UpgradeGate & friends <only>.";
    static final Path SCREENSHOTS = Path.of("target/wizard-screenshots");

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static String root;
    static Path backups;
    static String shopDb;
    static String brokenDb;
    static String freshDb;
    static WizardBrowser wizard;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        backups = base.resolve("backups");
        Path config = base.resolve("upgradegate.properties");
        Files.writeString(config, String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "backup.dir=" + backups,
                "datasource=jdbc/ShopDB",
                "app.broken.backup.allowOwn=true",
                "app.notes.datasource=jdbc/NotesDB",
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB);
        http = tomcat.http;
        root = "http://127.0.0.1:" + http.get("/").uri().getPort();

        shopDb = DB.jdbcUrl();
        brokenDb = DB.createDatabase("broken");
        freshDb = DB.createDatabase("fresh");
        WizardShops.installRelease1(tomcat, TOKEN, "/shop", shopDb);
        WizardShops.installRelease1(tomcat, TOKEN, "/broken", brokenDb);

        Path shop = WizardShops.explode("shop-2.0.0.war", base.resolve("bundles/shop"));
        Files.writeString(shop.resolve("META-INF/LICENSE"), LICENSE, StandardCharsets.UTF_8);
        tomcat.deploy("/shop", shop.toAbsolutePath().toString(), shopDb);
        Path broken = WizardShops.withFailingChangeset(base.resolve("bundles/broken"), "2.0.0-tag",
                "ALTER TABLE product_archive ADD COLUMN weight INT");
        tomcat.deploy("/broken", broken.toAbsolutePath().toString(), brokenDb);
        tomcat.deploy("/fresh", "shop-2.0.0.war", freshDb);
        WizardShops.awaitDeployed(http);

        wizard = new WizardBrowser(root, TOKEN, base.resolve("chromium-profile"), SCREENSHOTS);
        browser = wizard.driver;
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

    // ----- the tests -----

    @Test
    @Order(1)
    void signInWorksFromTheKeyboardAlone() throws Exception {
        browser.get(root + "/shop/install/");
        assertTrue(browser.getCurrentUrl().endsWith("/shop/install/signin"), browser.getCurrentUrl());
        assertEquals("Sign in", wizard.heading());
        WebElement token = browser.findElement(By.id("token"));
        assertEquals(token, browser.switchTo().activeElement(), "the token field has the focus from the start");
        assertEquals("Install token", browser.findElement(By.cssSelector("label[for=token]")).getText());
        wizard.screenshot("sign-in");

        browser.switchTo().activeElement().sendKeys("not-the-token-at-all");
        browser.switchTo().activeElement().sendKeys(Keys.ENTER);
        wizard.waitFor(d -> wizard.text().contains("That is not the install token."));
        assertFalse(wizard.text().contains("not-the-token-at-all"), "what was typed is never echoed");
        wizard.screenshot("sign-in-wrong-token");

        WebElement field = browser.switchTo().activeElement();
        assertEquals("token", field.getAttribute("id"), "after an error the focus is back in the token field");
        field.sendKeys(TOKEN);
        field.sendKeys(Keys.TAB);
        WebElement button = browser.switchTo().activeElement();
        assertEquals("Sign in", button.getText(), "Tab reaches the button");
        button.sendKeys(Keys.ENTER);
        wizard.waitFor(d -> "Overview".equals(wizard.heading()));
        assertTrue(browser.getCurrentUrl().endsWith("/shop/install/overview"), browser.getCurrentUrl());
    }

    @Test
    @Order(2)
    void theHappyPathUpgradesTheShop() throws Exception {
        String overview = wizard.text();
        assertTrue(overview.contains("UPGRADE_REQUIRED"), overview);
        assertTrue(overview.contains("schema 1.0.0 \u2192 bundle 2.0.0"), overview);
        for (String id : new String[] {"2.0.0-add-product-sku", "2.0.0-create-category", "2.0.0-seed-categories", "2.0.0-tag"}) {
            assertTrue(overview.contains(id), id + " pending in " + overview);
        }
        assertEquals(3, browser.findElements(By.cssSelector(".checks li b.ok")).size(), "three pre-flight checks passed");
        assertTrue(browser.findElements(By.cssSelector(".checks li b.bad")).isEmpty(), overview);
        wizard.screenshot("overview");

        wizard.click("View the SQL it will run");
        wizard.expectHeading("The SQL of the upgrade");
        String sql = browser.findElement(By.tagName("pre")).getText();
        assertTrue(sql.contains("ALTER TABLE") && sql.contains("sku"), sql);
        wizard.screenshot("update-sql");
        wizard.click("Back to the overview");

        wizard.click("Continue");
        wizard.expectHeading("Licence");
        assertTrue(browser.findElement(By.tagName("pre")).getText().contains("testing UpgradeGate & friends <only>."),
                "the bundle's META-INF/LICENSE, escaped, not interpreted");
        wizard.screenshot("licence");
        wizard.press("Continue");
        assertEquals("Licence", wizard.heading(), "the box must be ticked");
        assertTrue(browser.getCurrentUrl().endsWith("/shop/install/licence"), browser.getCurrentUrl());
        browser.findElement(By.name("agree")).click();
        wizard.press("Continue");

        wizard.expectHeading("Backup");
        assertFalse(wizard.text().contains("I have my own"), "backup.allowOwn is off for the shop");
        wizard.screenshot("backup");
        try (Connection blocker = open(shopDb)) {
            lock(blocker, "product");
            wizard.press("Make the backup now");
            wizard.waitFor(d -> wizard.text().contains("Making the backup"));
            assertTrue(wizard.text().contains("Written so far"), wizard.text());
            wizard.screenshot("backup-running");
            unlock(blocker);
        }
        wizard.waitFor(d -> wizard.text().contains("The backup is written."));
        String backup = wizard.text();
        Path file = WizardShops.onlyBackup(backups, "shop");
        assertTrue(backup.contains(file.toString()), backup);
        assertTrue(backup.contains("gunzip < " + file + " | mysql"), backup);
        assertTrue(browser.findElement(By.xpath("//tr[td[1]='product']/td[2]")).getText().matches("\\d+"), backup);
        wizard.screenshot("backup-done");

        wizard.click("Continue");
        wizard.expectHeading("Ready to upgrade");
        assertTrue(wizard.text().contains("schema 1.0.0") && wizard.text().contains(file.toString()), wizard.text());
        wizard.screenshot("start");

        try (Connection blocker = open(shopDb)) {
            lock(blocker, "product");
            wizard.press("Start the Upgrade");
            wizard.waitFor(d -> wizard.text().contains("Upgrading shop to 2.0.0"));
            // The first changeset alters product, which our lock holds: the run waits on it, visibly.
            wizard.waitFor(d -> "2.0.0-add-product-sku".equals(browser.findElement(By.id("p-id")).getText()));
            assertTrue(browser.findElement(By.id("p-count")).getText().matches("1 of \\d+"), wizard.text());
            assertTrue(browser.getPageSource().contains("<noscript><meta http-equiv=\"refresh\""),
                    "without JavaScript, a meta refresh does the polling");
            HttpResponse<String> visitor = http.get("/shop/products");
            assertEquals(503, visitor.statusCode());
            assertTrue(visitor.body().contains("Down for Maintenance") && visitor.body().contains("UPGRADE_RUNNING"),
                    visitor.body());
            wizard.screenshot("progress");

            browser.get(root + "/shop/install/");
            assertTrue(browser.getCurrentUrl().endsWith("/shop/install/progress"),
                    "reopening the install page during the run lands on the progress: " + browser.getCurrentUrl());
            unlock(blocker);
        }
        wizard.waitFor(d -> browser.getCurrentUrl().endsWith("/result"));
        wizard.waitFor(d -> "Upgraded to 2.0.0".equals(wizard.heading()));
        assertTrue(wizard.text().contains("shop is up again") && wizard.text().contains("The install page is now closed."), wizard.text());
        wizard.screenshot("success");

        wizard.goToUpgraded("shop", "2.0.0");
        assertTrue(browser.getCurrentUrl().endsWith("/shop/"), browser.getCurrentUrl());
        wizard.screenshot("shop-up");
        assertEquals(404, http.get("/shop/install/").statusCode(), "the install endpoint is closed");
    }

    @Test
    @Order(3)
    void aFailingChangesetShowsWhatFailedTheBackupAndTheWayOut() throws Exception {
        browser.get(root + "/broken/products");
        wizard.expectHeading("Down for Maintenance");
        wizard.screenshot("maintenance-page");

        wizard.signIn("/broken");
        assertTrue(wizard.text().contains(WizardShops.FAILING), wizard.text());
        wizard.click("Continue");
        wizard.expectHeading("Backup"); // no licence in this bundle: the step is skipped
        Map<String, Long> beforeBackup = checksums(brokenDb);
        wizard.press("Make the backup now");
        wizard.waitFor(d -> wizard.text().contains("The backup is written."));
        Path file = WizardShops.onlyBackup(backups, "broken");
        wizard.click("Continue");
        wizard.press("Start the Upgrade");
        wizard.waitFor(d -> "Upgrade Failed".equals(wizard.heading()));
        String failure = wizard.text();
        assertTrue(failure.contains(WizardShops.FAILING), failure);
        assertTrue(failure.contains("product_archive") && failure.contains("doesn't exist"),
                "the database's own words: " + failure);
        assertTrue(failure.contains(file.toString()) && failure.contains("gunzip < " + file), failure);
        assertTrue(failure.contains("visitors still see the maintenance page"), failure);
        wizard.screenshot("failure");
        String restored = DB.createDatabase("restored");
        try (Connection connection = open(DB.driver().other().url(restored));
             Reader backup = new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8)) {
            SqlScript.run(backup, connection);
        }
        assertEquals(beforeBackup, checksums(restored),
                "the backup that " + DB.driver() + " wrote, restored with " + DB.driver().other() + ", is the database as it was");

        HttpResponse<String> visitor = http.get("/broken/products");
        assertEquals(503, visitor.statusCode());
        assertFalse(visitor.body().contains("product_archive") || visitor.body().contains("add-archive-weight"),
                "visitors see neither the SQL error nor the changeset: " + visitor.body());
        assertTrue(visitor.body().contains("UPGRADE_FAILED"), visitor.body());

        String log = fetchAsThisBrowser(browser.findElement(By.linkText("Download the full log")).getAttribute("href"));
        assertTrue(log.contains(WizardShops.FAILING) && log.contains("product_archive"), log);

        browser.get(root + "/broken/install/");
        assertTrue(browser.getCurrentUrl().endsWith("/broken/install/result"), "reopening lands on the failure");

        wizard.click("Retry the upgrade");
        wizard.expectHeading("Backup");
        assertTrue(wizard.text().contains("I have my own"), "backup.allowOwn is on for this webapp");
        wizard.confirmOwnBackup("Skip the backup");
        wizard.screenshot("own-backup");
        wizard.click("Continue");
        wizard.expectHeading("Ready to upgrade");
        assertTrue(wizard.text().contains("your own"), wizard.text());
        wizard.press("Start the Upgrade");
        wizard.waitFor(d -> "Upgrade Failed".equals(wizard.heading()));
        assertEquals(file, WizardShops.onlyBackup(backups, "broken"), "the earlier backup is kept, and still offered");
        assertTrue(wizard.text().contains(file.toString()), wizard.text());

        browser.get(root + "/broken/install/health");
        wizard.expectHeading("System health");
        String health = wizard.text();
        assertTrue(health.contains("UPGRADE_FAILED") && health.contains("2.0.0") && health.contains("1.0.0"), health);
        assertEquals(2, browser.findElements(By.xpath("//tbody/tr[td='127.0.0.1' and .//span[.='failed']]")).size(),
                "both attempts, from which address: " + health);
        assertTrue(health.contains("2.0.0-add-product-sku"), "which changesets ran: " + health);
        wizard.screenshot("health");
    }

    @Test
    @Order(4)
    void onAnEmptyDatabaseTheSqlIsShownAndNothingIsCreatedAndThePhoneLayoutFits() throws Exception {
        wizard.signIn("/fresh");
        assertTrue(wizard.text().contains("NOT_INSTALLED") && wizard.text().contains("schema none \u2192 bundle 2.0.0"), wizard.text());
        wizard.click("View the SQL it will run");
        String sql = browser.findElement(By.tagName("pre")).getText();
        assertTrue(sql.contains("CREATE TABLE") && sql.contains("product"), sql);
        assertEquals(List.of(), tables(freshDb), "viewing the SQL created nothing, not even Liquibase's own tables");
        wizard.click("Back to the overview");

        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.navigate().refresh();
            assertEquals("Overview", wizard.heading());
            long scrollWidth = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth");
            long clientWidth = (Long) ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.clientWidth");
            assertTrue(scrollWidth <= clientWidth, "no sideways scrolling at phone width: " + scrollWidth + " > " + clientWidth);
            wizard.screenshot("overview-phone-390px", 390);
        } finally {
            browser.manage().window().setSize(new Dimension(WizardBrowser.WIDTH, 900));
        }
        assertEquals(List.of(), tables(freshDb));
    }

    @Test
    @Order(5)
    void aNewerSchemaExplainsThatNothingWillRun() throws Exception {
        tomcat.deploy("/older", "shop-1.0.0.war", shopDb);
        http.await("/older/install/status", 60, Http.state("SCHEMA_NEWER"));
        wizard.signIn("/older");
        String overview = wizard.text();
        assertTrue(overview.contains("SCHEMA_NEWER") && overview.contains("schema 2.0.0 \u2192 bundle 1.0.0"), overview);
        assertTrue(overview.contains("never upgrades downwards")
                && overview.contains("Deploy the bundle that matches the database's version"), overview);
        assertTrue(browser.findElements(By.linkText("Continue")).isEmpty(), "no way to start an upgrade");
        wizard.screenshot("schema-newer");
    }

    /** A Flyway webapp built with Maven's defaults: the same wizard, with Flyway's scripts as the SQL. */
    @Test
    @Order(6)
    void aFlywayWebappIsUpgradedThroughTheWizard() throws Exception {
        String notesDb = DB.createDatabase("notes");
        tomcat.deploy("/notes", EmbeddedTomcat.WARS.resolve("notes-1.0.0.war"), "notes", notesDb);
        assertEquals(202, http.upgrade("/notes", TOKEN).statusCode());
        http.await("/notes/install/status", 60, Http.state("UP"));
        tomcat.undeploy("/notes");
        tomcat.deploy("/notes", EmbeddedTomcat.WARS.resolve("notes-1.1.0.war"), "notes", notesDb);
        http.await("/notes/install/status", 60, Http.state("UPGRADE_REQUIRED"));

        wizard.signIn("/notes");
        String overview = wizard.text();
        assertTrue(overview.contains("Flyway db/migration"), overview);
        assertTrue(overview.contains("schema version 2, 2 migrations applied"), overview);
        assertTrue(overview.contains("bundle 1.1.0") && overview.contains("pom.properties"), overview);
        assertTrue(overview.contains("V3__add_note_tags.sql"), overview);
        wizard.screenshot("flyway-overview");

        wizard.click("View the SQL it will run");
        String sql = browser.findElement(By.tagName("pre")).getText();
        assertTrue(sql.contains("-- version 3 (V3__add_note_tags.sql): add note tags")
                && sql.contains("ALTER TABLE note ADD tags VARCHAR(100) NULL;"), sql);
        assertFalse(sql.contains("V2__seed_notes.sql"), "only what is pending: " + sql);
        wizard.screenshot("flyway-update-sql");
        wizard.click("Back to the overview");

        wizard.click("Continue");
        wizard.expectHeading("Backup");
        wizard.press("Make the backup now");
        wizard.waitFor(d -> wizard.text().contains("The backup is written."));
        assertTrue(browser.findElement(By.xpath("//tr[td[1]='note']/td[2]")).getText().equals("2"), wizard.text());
        wizard.click("Continue");
        wizard.press("Start the Upgrade");
        wizard.waitFor(d -> "Upgraded to 1.1.0".equals(wizard.heading()));
        wizard.screenshot("flyway-success");
        assertEquals(1, DatabaseChecks.count(notesDb, "SELECT COUNT(*) FROM note WHERE tags = 'home'"));
    }

    /** A migration Flyway recorded as failed: the overview names it and repairs the history once confirmed. */
    @Test
    @Order(7)
    void aFailedFlywayMigrationIsRepairedFromTheOverview() throws Exception {
        String flyDb = DB.createDatabase("flybroken");
        TestBundle broken = new TestBundle("1.0.0").database("flybroken")
                .flyway("V1__create_note.sql", "CREATE TABLE note (id INT PRIMARY KEY);")
                .flyway("V2__add_tags.sql", "ALTER TABLE note ADD tags VARCHAR(20);\nALTER TABLE no_such_table ADD x INT;");
        tomcat.deploy("/flybroken", broken.directory(base.resolve("bundles/flybroken")), "flybroken", flyDb);
        assertEquals(202, http.upgrade("/flybroken", TOKEN).statusCode());
        http.await("/flybroken/install/status", 60, Http.state("UPGRADE_FAILED"));

        browser.get(root + "/flybroken/install/");
        browser.findElement(By.id("token")).sendKeys(TOKEN);
        wizard.press("Sign in");
        wizard.expectHeading("Upgrade Failed");
        String failure = wizard.text();
        assertTrue(failure.contains("Failed migration") && failure.contains("V2__add_tags.sql")
                && failure.contains("no_such_table"), "the failure page offers the repair: " + failure);
        wizard.click("Overview");
        wizard.expectHeading("Overview");
        assertTrue(wizard.text().contains("Failed migration") && wizard.text().contains("V2__add_tags.sql"), wizard.text());
        wizard.screenshot("flyway-repair");
        wizard.press("Repair the history");
        assertEquals("Overview", wizard.heading(), "the box must be ticked first");
        assertEquals(1, DatabaseChecks.count(flyDb, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 0"));
        browser.findElement(By.name("confirm")).click();
        wizard.press("Repair the history");
        wizard.waitFor(d -> !wizard.text().contains("Remove the failed record"));
        assertEquals("Overview", wizard.heading(), wizard.text());
        assertFalse(wizard.text().contains("Failed migration"), wizard.text());
        assertEquals(0, DatabaseChecks.count(flyDb, "SELECT COUNT(*) FROM flyway_schema_history WHERE success = 0"));
        assertTrue(wizard.text().contains("V2__add_tags.sql"), "pending again, for a fixed bundle: " + wizard.text());
    }

    /** The Maintenance card's fields look like the sign-in's; at phone width every table cell names its column. */
    @Test
    @Order(8)
    void fieldsAreStyledAndThePhoneLayoutLabelsEveryCell() throws Exception {
        wizard.overview("/fresh");
        for (String field : new String[] {"m-message", "m-minutes"}) {
            WebElement input = browser.findElement(By.id(field));
            assertTrue(input.getSize().getHeight() >= 36 && input.getSize().getWidth() >= 300,
                    field + " is a full-size field, not the browser's default box: " + input.getSize());
            assertEquals("8px", input.getCssValue("border-radius"), field);
        }
        WebElement card = browser.findElement(By.xpath("//div[@class='card'][h2='Maintenance']"));
        wizard.screenshot("maintenance-card", card);

        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.navigate().refresh();
            wizard.expectHeading("Overview");
            List<WebElement> cells = browser.findElements(By.cssSelector("table.stack td"));
            assertTrue(cells.size() >= 4, "the pending changesets are listed: " + wizard.text());
            for (WebElement cell : cells) {
                String label = cell.getAttribute("data-label");
                assertTrue(label != null && !label.isEmpty(), "an unlabelled cell: " + cell.getText());
                String before = (String) ((JavascriptExecutor) browser).executeScript(
                        "return getComputedStyle(arguments[0], '::before').content", cell);
                assertTrue(before.contains(label), "the label is shown before the cell: " + before);
            }
            wizard.screenshot("overview-phone-labelled", 390);
        } finally {
            browser.manage().window().setSize(new Dimension(WizardBrowser.WIDTH, 900));
        }
    }

    /**
     * A backup that cannot be written (a file where the webapp's backup folder should be) says why in plain
     * words and every way forward; the admin's own backup, confirmed, gets the upgrade done although
     * {@code backup.allowOwn} is off. After the end, stale links to the progress and the result land on a
     * page saying so.
     */
    @Test
    @Order(9)
    void aFailedBackupShowsTheWaysForwardAndStaleLinksLandOnTheWizard() throws Exception {
        Path inTheWay = backups.resolve("fresh");
        Files.createDirectories(backups);
        Files.writeString(inTheWay, "not a folder");
        wizard.overview("/fresh");
        wizard.click("Continue");
        wizard.expectHeading("Backup");
        assertFalse(wizard.text().contains("I have my own"), "backup.allowOwn is off for fresh");
        wizard.press("Make the backup now");
        wizard.waitFor(d -> wizard.text().contains("The backup failed."));
        String failed = wizard.text();
        assertTrue(failed.contains("cannot write its backup folder " + inTheWay) && failed.contains("a file is in the way"),
                "the cause, in plain words: " + failed);
        assertTrue(failed.contains("The server log has the details"), failed);
        assertTrue(failed.contains("app.fresh.backup.allowOwn=true")
                && failed.contains(base.resolve("upgradegate.properties").toAbsolutePath().toString())
                && failed.contains("restart the server"), "the exact key and file: " + failed);
        assertFalse(failed.contains("Exception") || failed.contains("java.") || failed.contains("SELECT"), failed);
        wizard.screenshot("backup-failed");

        wizard.press("Try the backup again");
        wizard.waitFor(d -> wizard.text().contains("The backup failed."));
        browser.get(root + "/fresh/install/start");
        assertTrue(browser.getCurrentUrl().endsWith("/fresh/install/backup"), "no start without a backup: "
                + browser.getCurrentUrl());
        assertTrue(wizard.text().contains("The backup failed."), "the ways forward again, not a dead end: " + wizard.text());

        WebElement confirm = browser.findElement(By.name("own"));
        String label = confirm.findElement(By.xpath("./ancestor::label")).getText();
        assertTrue(label.matches("I have a backup of fresh\\w* made after \\d{4}-.*, and I know UpgradeGate cannot"
                + " restore without one"), "names the schema and the time: " + label);
        wizard.confirmOwnBackup("Continue with my own backup");
        wizard.click("Continue");
        wizard.expectHeading("Ready to upgrade");
        assertTrue(wizard.text().contains("your own"), wizard.text());
        wizard.press("Start the Upgrade");
        wizard.waitFor(d -> "Upgraded to 2.0.0".equals(wizard.heading()));
        http.await("/fresh/install/status", 60, Http.state("UP"));

        for (String stale : new String[] {"/result", "/progress"}) {
            browser.get(root + "/fresh/install" + stale);
            wizard.expectHeading("The upgrade is done");
            assertTrue(wizard.text().contains("fresh is up."), wizard.text());
            assertFalse(wizard.text().contains("2.0.0"), "no version for whoever follows the link: " + wizard.text());
            HttpResponse<String> anonymous = http.get("/fresh/install" + stale);
            assertEquals(200, anonymous.statusCode(), stale);
            assertTrue(anonymous.body().contains("The upgrade is done") && !anonymous.body().contains("2.0.0"),
                    anonymous.body());
        }
        wizard.screenshot("upgrade-done");
        HttpResponse<String> poll = http.get("/fresh/install/progress.json");
        assertEquals(200, poll.statusCode());
        assertEquals("{\"running\":false}", poll.body().trim());
        wizard.click("Go to fresh");
        wizard.waitFor(d -> wizard.heading().contains("2.0.0"));
        assertEquals(404, http.get("/fresh/install/overview").statusCode(), "the rest of the wizard stays closed");
    }

    // ----- helpers -----

    /** Downloads a link with the browser's session cookie, as the browser's download would. */
    static String fetchAsThisBrowser(String url) throws Exception {
        Cookie session = browser.manage().getCookieNamed("upgradegate_install");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                .header("Cookie", session.getName() + "=" + session.getValue()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));
        return response.body();
    }

    /** Each table's CHECKSUM TABLE, equal for equal rows in equal tables. */
    static Map<String, Long> checksums(String url) throws SQLException {
        Map<String, Long> checksums = new java.util.TreeMap<>();
        try (Connection connection = open(url); Statement sql = connection.createStatement()) {
            for (String table : DatabaseChecks.strings(url, "SELECT TABLE_NAME FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")) {
                try (ResultSet checksum = sql.executeQuery("CHECKSUM TABLE `" + table + "`")) {
                    checksum.next();
                    checksums.put(table, checksum.getLong(2));
                }
            }
        }
        return checksums;
    }

    static Connection open(String url) throws SQLException {
        return DriverManager.getConnection(url, DB.user(), DB.password());
    }

    static void lock(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLES `" + table + "` WRITE");
        }
    }

    static void unlock(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLOCK TABLES");
        }
    }

    static List<String> tables(String url) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = open(url); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SHOW TABLES")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }
}
