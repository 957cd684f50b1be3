package dev.upgradegate.gate.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.gate.status.Statuses;
import dev.upgradegate.gate.upgrade.UpgradeRuns;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.http.FakeExchange;
import dev.upgradegate.migrations.ClusterState;
import dev.upgradegate.migrations.PendingChangeset;

/** Each step's rules, through the wizard's own routing, against a gate in whatever state the test needs. */
class TestWizard {

    private final FakeWizardGate gate = new FakeWizardGate();
    private final WizardBrowser browser = new WizardBrowser(new Wizard(gate));

    private static void assertRedirect(String location, FakeExchange exchange) {
        assertEquals(303, exchange.status(), exchange.bodyText());
        assertEquals("/shop/install" + location, exchange.responseHeader("Location"));
    }

    private WizardBrowser signedIn(FakeWizardGate on) throws IOException {
        WizardBrowser signedIn = new WizardBrowser(new Wizard(on));
        assertRedirect("/", signedIn.signIn(FakeWizardGate.TOKEN));
        assertEquals(200, signedIn.get("/overview").status(), "the overview gives the session's CSRF token");
        return signedIn;
    }

    @Test
    void aWrongTokenOpensNothing() throws IOException {
        FakeExchange refused = browser.signIn("not-the-token");
        assertEquals(401, refused.status());
        assertTrue(refused.bodyText().contains("That is not the install token."));
        assertRedirect("/signin", browser.get("/overview"));
    }

    @Test
    void wrongTokensAreLimitedPerAddressAndThenEvenTheRightOneWaits() throws IOException {
        for (int i = 0; i < 5; i++) {
            assertEquals(401, browser.signIn("guess-" + i).status());
        }
        FakeExchange limited = browser.signIn(FakeWizardGate.TOKEN);
        assertEquals(429, limited.status());
        assertNotNull(limited.responseHeader("Retry-After"));
        assertTrue(limited.bodyText().contains("Too many wrong tokens from your address."));
        assertRedirect("/signin", browser.get("/overview"));
    }

    @Test
    void aSignInFormNotIssuedToThisBrowserIsRefused() throws IOException {
        browser.get("/signin");
        FakeExchange forged = browser.postRaw("/signin", "csrf=1700000000.AAAA&token=" + FakeWizardGate.TOKEN);
        assertEquals(403, forged.status());
        assertTrue(forged.bodyText().contains("The sign-in form had expired."));
    }

    @Test
    void withoutASessionPagesLeadToTheSignInAndFormsAreForbidden() throws IOException {
        assertRedirect("/signin", browser.get("/overview"));
        FakeExchange post = browser.postRaw("/start", "csrf=anything");
        assertEquals(403, post.status());
        assertTrue(post.bodyText().contains("Your session has ended."));
        assertTrue(gate.started.isEmpty());
    }

    @Test
    void aFormWithoutTheSessionsCsrfTokenChangesNothing() throws IOException {
        WizardBrowser admin = signedIn(withLicence());
        FakeExchange forged = admin.postRaw("/licence", "csrf=forged&agree=yes");
        assertEquals(403, forged.status());
        assertTrue(forged.bodyText().contains("This form has expired or did not come from this page."));
        assertRedirect("/licence", admin.get("/backup"));
    }

    @Test
    void theLicenceMustBeAgreedBeforeTheBackupAndTheStart() throws IOException {
        WizardBrowser admin = signedIn(withLicence());
        assertRedirect("/licence", admin.get("/backup"));
        assertRedirect("/licence", admin.get("/start"));
        assertRedirect("/licence", admin.post("/start"));
        admin.get("/licence");
        FakeExchange unticked = admin.post("/licence");
        assertEquals(400, unticked.status());
        assertTrue(unticked.bodyText().contains("Tick \u201cI agree\u201d to continue."));
        assertRedirect("/backup", admin.post("/licence", "agree", "yes"));
        assertEquals(200, admin.get("/backup").status());
    }

    @Test
    void withoutALicenceTheStepIsSkipped() throws IOException {
        WizardBrowser admin = signedIn(gate);
        assertRedirect("/backup", admin.get("/licence"));
        assertTrue(admin.get("/overview").bodyText().contains("href=\"/shop/install/backup\">Continue</a>"));
    }

    @Test
    void aBackupIsRequiredBeforeTheStart() throws IOException {
        WizardBrowser admin = signedIn(gate);
        assertRedirect("/backup", admin.get("/start"));
        admin.get("/backup");
        assertRedirect("/backup", admin.post("/start"));
        assertTrue(gate.started.isEmpty());
    }

    @Test
    void ownBackupsAreRefusedUnlessTheConfigurationAllowsThem() throws IOException {
        WizardBrowser admin = signedIn(gate);
        admin.get("/backup");
        FakeExchange refused = admin.post("/backup", "action", "own", "own", "yes");
        assertEquals(403, refused.status());
        assertTrue(refused.bodyText().contains("The configuration requires UpgradeGate&#39;s own backup."));
        assertRedirect("/backup", admin.get("/start"));
    }

    @Test
    void withoutPgDumpTheBackupStepSaysSoAndOffersOnlyTheAdminsOwnBackup() throws IOException {
        gate.postgres = true;
        gate.backupUnavailable = "pg_dump, PostgreSQL's backup tool, cannot be found on this server.";
        WizardBrowser admin = signedIn(gate);
        String page = admin.get("/backup").bodyText();
        assertTrue(page.contains("UpgradeGate cannot back this database up here.</strong> pg_dump, PostgreSQL&#39;s"
                + " backup tool, cannot be found on this server."), page);
        assertTrue(page.contains("app.shop.backup.pgDump"), page);
        assertFalse(page.contains("value=\"make\""), "no button makes a backup that cannot be made: " + page);
        assertTrue(page.contains("Continue with my own backup"), "even where backup.allowOwn is off: " + page);
        assertEquals(409, admin.post("/backup", "action", "make").status());
        assertRedirect("/backup", admin.get("/start"));
        assertRedirect("/backup", admin.post("/backup", "action", "own", "own", "yes"));
        assertEquals(200, admin.get("/start").status());
    }

    @Test
    void aConfirmedOwnBackupLeadsToTheStartAndTheUpgrade() throws IOException {
        FakeWizardGate allowing = allowingOwnBackups();
        WizardBrowser admin = signedIn(allowing);
        admin.get("/backup");
        assertEquals(400, admin.post("/backup", "action", "own").status());
        assertRedirect("/backup", admin.post("/backup", "action", "own", "own", "yes"));
        FakeExchange start = admin.get("/start");
        assertEquals(200, start.status());
        assertTrue(start.bodyText().contains("<dt>Backup</dt><dd>your own</dd>"));
        assertRedirect("/progress", admin.post("/start"));
        assertEquals(1, allowing.started.size());
        // The next attempt needs a backup of its own.
        assertRedirect("/backup", admin.get("/start"));
    }

    @Test
    void aDatabaseNewerThanTheBundleIsNeverUpgraded() throws IOException {
        FakeWizardGate newer = allowingOwnBackups();
        WizardBrowser admin = pastTheOwnBackup(newer);
        newer.status = Statuses.of(State.SCHEMA_NEWER, "2.0", "3.0", "add-refunds");
        FakeExchange overview = admin.get("/overview");
        assertTrue(overview.bodyText().contains("The database is newer than this bundle"));
        assertTrue(overview.bodyText().contains("<dt>Database ahead by</dt><dd>add-refunds</dd>"));
        assertFalse(overview.bodyText().contains(">Continue</a>"));
        assertRedirect("/overview", admin.get("/start"));
        assertRedirect("/overview", admin.post("/start"));
        assertTrue(newer.started.isEmpty());
    }

    @Test
    void aStartOnAGaleraNodeThatMayNotUpgradeIsRefusedAndTheWizardSaysWhy() throws IOException {
        FakeWizardGate desynced = allowingOwnBackups();
        WizardBrowser admin = pastTheOwnBackup(desynced);
        desynced.cluster = new ClusterState(true, 3, "Donor/Desynced", true, true, "TOI", true);
        FakeExchange refused = admin.post("/start");
        assertEquals(409, refused.status());
        assertTrue(refused.bodyText().contains("Upgrade refused on this node"), refused.bodyText());
        assertTrue(refused.bodyText().contains("Nothing has run: this node of the Galera cluster is Donor/Desynced,"
                + " not Synced"), refused.bodyText());
        desynced.cluster = new ClusterState(true, 3, "Synced", true, true, "RSU", true);
        assertTrue(admin.post("/start").bodyText().contains("wsrep_OSU_method is RSU"));
        assertTrue(desynced.started.isEmpty());
    }

    @Test
    void theSuccessPageIsShownOnceAndClosesTheInstallPage() throws IOException {
        WizardBrowser admin = signedIn(gate);
        gate.progress = UpgradeRuns.finished("2.0", true, null, new PendingChangeset("add-orders", "ann", "db/2.0.xml"));
        gate.status = Statuses.of(State.UP, "2.0", "2.0");
        FakeExchange first = admin.get("/result");
        assertEquals(200, first.status());
        assertTrue(first.bodyText().contains("<h1>Upgraded to 2.0</h1>"));
        assertTrue(first.bodyText().contains("shop is up again: 1 changesets ran in"));
        assertTrue(gate.resultClosed);
        FakeExchange again = admin.get("/result");
        assertEquals(200, again.status());
        assertTrue(again.bodyText().contains("<h1>The upgrade is done</h1>"));
        assertFalse(again.bodyText().contains("2.0"), "a stale link learns no version");
    }

    @Test
    void aFailedUpgradeLandsOnItsResultWithTheDatabasesWords() throws IOException {
        WizardBrowser admin = signedIn(gate);
        gate.progress = UpgradeRuns.finished("2.0", false, new PendingChangeset("add-<b>", "ann", "db/2.0.xml"));
        gate.status = Statuses.of(State.UPGRADE_FAILED, "2.0", "1.0");
        assertRedirect("/result", admin.get("/"));
        String page = admin.get("/result").bodyText();
        assertTrue(page.contains("<h1>Upgrade Failed</h1>"));
        assertTrue(page.contains("<pre>Table &#39;shop.orders&#39; doesn&#39;t exist</pre>"), page);
        assertTrue(page.contains("add-&lt;b&gt;"));
        assertTrue(page.contains("UpgradeGate made no backup on this node: use your own."));
    }

    @Test
    void aWrongMethodIsRefusedWithWhatIsAllowed() throws IOException {
        FakeExchange post = browser.postRaw("/overview", "");
        assertEquals(405, post.status());
        assertEquals("GET", post.responseHeader("Allow"));
        FakeExchange get = browser.get("/unlock");
        assertEquals(405, get.status());
        assertEquals("POST", get.responseHeader("Allow"));
        assertFalse(new Wizard(gate).handle(new FakeExchange("GET", "/install/status", "/shop"), "/status"));
    }

    @Test
    void signingOutEndsTheSession() throws IOException {
        WizardBrowser admin = signedIn(gate);
        admin.get("/overview");
        assertRedirect("/signin", admin.post("/signout"));
        assertRedirect("/signin", admin.get("/overview"));
    }

    @Test
    void whatTheDatabaseAndTheFilesSayIsEscaped() throws IOException {
        WizardBrowser admin = signedIn(withLicence());
        assertTrue(admin.get("/licence").bodyText().contains("Do &lt;script&gt;alert(1)&lt;/script&gt; &amp; agree"));
        String sql = admin.get("/update-sql").bodyText();
        assertTrue(sql.contains("-- &lt;b&gt;not markup&lt;/b&gt;"), sql);
        assertFalse(sql.contains("<b>not"));
        String overview = admin.get("/overview").bodyText();
        assertTrue(overview.contains("&#39;shop&#39;@&#39;%&#39; lacks &lt;ALTER&gt;"));
    }

    @Test
    void everyPageSitsInTheFrameWithItsPolicy() throws IOException {
        WizardBrowser admin = signedIn(gate);
        FakeExchange overview = admin.get("/overview");
        String page = overview.bodyText();
        assertTrue(page.startsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
        assertTrue(page.contains("<li aria-current=\"step\">Overview</li>"));
        assertTrue(page.contains("<button class=\"secondary\" type=\"submit\">Sign out</button>"));
        assertEquals(Page.CSP, overview.responseHeader("Content-Security-Policy"));
        assertTrue(page.contains("<style>" + Page.STYLE + "</style>"));
    }

    private static FakeWizardGate withLicence() throws IOException {
        return new FakeWizardGate(Map.of("install.token", FakeWizardGate.TOKEN, "app.shop.jdbc.url",
                "jdbc:mariadb://db/shop", "app.shop.license.file", licence().toString()));
    }

    /** Signed in to {@code gate}, which allows one, with the administrator's own backup confirmed. */
    private WizardBrowser pastTheOwnBackup(FakeWizardGate gate) throws IOException {
        WizardBrowser admin = signedIn(gate);
        admin.get("/backup");
        assertRedirect("/backup", admin.post("/backup", "action", "own", "own", "yes"));
        return admin;
    }

    private static FakeWizardGate allowingOwnBackups() {
        return new FakeWizardGate(Map.of("install.token", FakeWizardGate.TOKEN, "app.shop.jdbc.url",
                "jdbc:mariadb://db/shop", "app.shop.backup.allowOwn", "true"));
    }

    @TempDir
    static Path folder;

    private static Path licence() throws IOException {
        return Files.writeString(folder.resolve("LICENSE"), "Do <script>alert(1)</script> & agree.");
    }
}
