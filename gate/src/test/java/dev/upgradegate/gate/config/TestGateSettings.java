package dev.upgradegate.gate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestGateSettings {

    private static final String PASSWORD = "Pw-9f3K!zzTopSecret";
    private static final String TOKEN = "Tk-7hQ2mLx0pVv4Rr8sYy";

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path file = dir.resolve("upgradegate.properties");
        Files.write(file, String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8));
        return file;
    }

    private GateSettings load(String... lines) throws IOException {
        return GateSettings.load(file(lines));
    }

    private static void assertContains(String text, String... parts) {
        assertNotNull(text, "expected a message containing " + List.of(parts));
        for (String part : parts) {
            assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
        }
    }

    // --- defaults --------------------------------------------------------------------------------

    @Test
    void emptyFileGivesTheDocumentedDefaults() throws IOException {
        GateSettings settings = load("# nothing set");
        assertNull(settings.problem());
        assertEquals("/install", settings.installPath());
        assertEquals(2, settings.refreshSeconds());
        assertEquals(60, settings.retryAfterSeconds());
        assertNull(settings.installToken());
        assertEquals(dir.resolve("upgradegate-install.token").toAbsolutePath(), settings.tokenFile().toAbsolutePath());

        AppSettings shop = settings.forApp("shop");
        assertNull(shop.problem());
        assertNull(shop.changelog(), "none named: the bundle is searched");
        assertEquals("db/changelog/db.changelog-master.xml", AppSettings.DEFAULT_CHANGELOGS.get(0));
        assertTrue(AppSettings.DEFAULT_CHANGELOGS.contains("db/changelog/db.changelog-master.yaml"),
                "Spring Boot's default");
        assertEquals("Implementation-Version", shop.versionAttribute());
        assertNull(shop.versionQuery());
        assertNull(shop.installToken());
    }

    @Test
    void readsHostWideValues() throws IOException {
        GateSettings settings = load("install.path = /admin/install", "refresh.seconds=5", "retry.afterSeconds: 120 ",
                "install.token=" + TOKEN, "install.tokenFile=" + dir.resolve("t/tok"));
        assertNull(settings.problem());
        assertEquals("/admin/install", settings.installPath());
        assertEquals(5, settings.refreshSeconds());
        assertEquals(120, settings.retryAfterSeconds());
        assertEquals(TOKEN, settings.installToken());
        assertEquals(dir.resolve("t/tok"), settings.tokenFile());
        assertEquals(dir.resolve("upgradegate.properties"), settings.source());
    }

    // --- per-webapp values -------------------------------------------------------------------------

    @Test
    void appKeyOverridesTheGlobalKeyForThatAppOnly() throws IOException {
        GateSettings settings = load(
                "jdbc.url=jdbc:mysql://db/global",
                "jdbc.user=global",
                "changelog=db/global.xml",
                "app.shop.jdbc.url=jdbc:mysql://db/shop",
                "app.shop.changelog=db/shop.xml",
                "app.shop.version.attribute=Shop-Version");
        AppSettings shop = settings.forApp("shop");
        assertNull(shop.problem());
        assertEquals("jdbc:mysql://db/shop", shop.jdbcUrl());
        assertEquals("global", shop.jdbcUser());
        assertEquals("db/shop.xml", shop.changelog());
        assertEquals("Shop-Version", shop.versionAttribute());

        AppSettings blog = settings.forApp("blog");
        assertNull(blog.problem());
        assertEquals("jdbc:mysql://db/global", blog.jdbcUrl());
        assertEquals("db/global.xml", blog.changelog());
        assertEquals("Implementation-Version", blog.versionAttribute());
    }

    @Test
    void appNameMayContainDots() throws IOException {
        GateSettings settings = load("app.my.app.jdbc.url=jdbc:h2:mem:x", "app.my.app.jdbc.user=sa",
                "app.my.app.install.token=" + TOKEN);
        assertNull(settings.problem());
        AppSettings myApp = settings.forApp("my.app");
        assertNull(myApp.problem());
        assertEquals("jdbc:h2:mem:x", myApp.jdbcUrl());
        assertEquals("sa", myApp.jdbcUser());
        assertEquals(TOKEN, myApp.installToken());
        assertTrue(myApp.gated());

        AppSettings my = settings.forApp("my");
        assertNull(my.problem());
        assertNull(my.jdbcUrl());
        assertFalse(my.gated());
    }

    @Test
    void datasourceAppIsGated() throws IOException {
        AppSettings shop = load("app.shop.datasource=jdbc/ShopDB").forApp("shop");
        assertNull(shop.problem());
        assertEquals("jdbc/ShopDB", shop.datasource());
        assertTrue(shop.gated());
    }

    @Test
    void webappWithoutDatabaseSettingsIsNotGated() throws IOException {
        GateSettings settings = load("app.shop.datasource=jdbc/ShopDB", "refresh.seconds=3");
        AppSettings blog = settings.forApp("blog");
        assertNull(blog.problem());
        assertNull(blog.datasource());
        assertNull(blog.jdbcUrl());
        assertFalse(blog.gated());
        assertFalse(settings.forApp("ROOT").gated());
    }

    @Test
    void valuesAreTrimmed() throws IOException {
        AppSettings shop = load("app.shop.jdbc.url = jdbc:mysql://db/shop   ", "app.shop.jdbc.user=  shop ")
                .forApp("shop");
        assertNull(shop.problem());
        assertEquals("jdbc:mysql://db/shop", shop.jdbcUrl());
        assertEquals("shop", shop.jdbcUser());
    }

    // --- unknown and misplaced keys ----------------------------------------------------------------

    @Test
    void unknownGlobalKeyIsAHostProblemAndEveryGatedAppIsMisconfigured() throws IOException {
        GateSettings settings = load("jdbc.url=jdbc:h2:mem:x", "refresh.secnods=5");
        assertContains(settings.problem(), settings.source().toString(), "line 2", "refresh.secnods", "unknown key");
        AppSettings shop = settings.forApp("shop");
        assertEquals(settings.problem(), shop.problem());
        assertTrue(shop.gated());
        assertTrue(settings.forApp("blog").gated());
    }

    @Test
    void unknownAppKeyMisconfiguresThatAppOnly() throws IOException {
        GateSettings settings = load("jdbc.url=jdbc:h2:mem:global", "app.shop.jdbc.ulr=jdbc:h2:mem:shop");
        assertNull(settings.problem());
        AppSettings shop = settings.forApp("shop");
        assertContains(shop.problem(), settings.source().toString(), "line 2", "app.shop.jdbc.ulr", "unknown key");
        assertTrue(shop.gated());

        AppSettings blog = settings.forApp("blog");
        assertNull(blog.problem());
        assertEquals("jdbc:h2:mem:global", blog.jdbcUrl());
    }

    @Test
    void hostOnlyKeyIsRefusedPerWebappForThatAppOnly() throws IOException {
        GateSettings settings = load("app.shop.datasource=jdbc/ShopDB", "app.blog.datasource=jdbc/BlogDB",
                "app.shop.refresh.seconds=10");
        assertNull(settings.problem());
        assertEquals(2, settings.refreshSeconds(), "the app key does not change the host's value");
        AppSettings shop = settings.forApp("shop");
        assertContains(shop.problem(), settings.source().toString(), "line 3", "app.shop.refresh.seconds",
                "whole host");
        assertTrue(shop.gated());
        assertNull(settings.forApp("blog").problem());
    }

    @ParameterizedTest
    @ValueSource(strings = {"install.path", "install.tokenFile", "retry.afterSeconds", "refresh.seconds"})
    void everyHostOnlySettingIsRefusedPerWebapp(String key) throws IOException {
        assertFalse(Setting.byKey(key).perWebapp());
        GateSettings settings = load("app.shop." + key + "=5");
        assertContains(settings.forApp("shop").problem(), "app.shop." + key);
        assertNull(settings.forApp("blog").problem());
    }

    @Test
    void twoProblemsOfOneAppAreBothReported() throws IOException {
        GateSettings settings = load("app.shop.jdbc.ulr=x", "app.shop.retry.afterSeconds=5");
        assertContains(settings.forApp("shop").problem(), "app.shop.jdbc.ulr", "app.shop.retry.afterSeconds");
    }

    // --- inconsistent database settings ------------------------------------------------------------

    @Test
    void bothDatasourceAndJdbcUrlIsAProblem() throws IOException {
        GateSettings settings = load("app.shop.datasource=jdbc/ShopDB", "app.shop.jdbc.url=jdbc:h2:mem:x");
        assertContains(settings.forApp("shop").problem(), settings.source().toString(), "line 2",
                "app.shop.jdbc.url", "datasource");
        assertTrue(settings.forApp("shop").gated());
        assertNull(settings.forApp("blog").problem());
    }

    @Test
    void jdbcUserWithoutJdbcUrlIsAProblem() throws IOException {
        GateSettings settings = load("app.shop.datasource=jdbc/ShopDB", "app.shop.jdbc.user=shop");
        assertContains(settings.forApp("shop").problem(), "line 2", "app.shop.jdbc.user", "jdbc.url");
    }

    @Test
    void jdbcPasswordWithoutJdbcUrlIsAProblem() throws IOException {
        GateSettings settings = load("app.shop.jdbc.password=" + PASSWORD);
        String problem = settings.forApp("shop").problem();
        assertContains(problem, "app.shop.jdbc.password", "jdbc.url");
        assertFalse(problem.contains(PASSWORD), problem);
        assertTrue(settings.forApp("shop").gated(), "a misconfigured app is held in maintenance");
    }

    @Test
    void jdbcUrlMustBeAJdbcUrl() throws IOException {
        assertContains(load("app.shop.jdbc.url=mysql://db/shop").forApp("shop").problem(), "app.shop.jdbc.url",
                "jdbc:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/db/changelog.xml", "../other/changelog.xml", "db/../../x.xml"})
    void changelogMustStayInTheClassPath(String changelog) throws IOException {
        assertContains(load("app.shop.datasource=jdbc/ShopDB", "app.shop.changelog=" + changelog)
                .forApp("shop").problem(), "app.shop.changelog");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Implementation Version", "-Version", "Ver:sion"})
    void versionAttributeMustBeAManifestAttributeName(String attribute) throws IOException {
        assertContains(GateSettings.of(Path.of("/etc/gate.properties"), Map.of("datasource", "jdbc/X",
                "version.attribute", attribute)).forApp("shop").problem(), "version.attribute");
    }

    @Test
    void emptyAppValueIsAProblem() throws IOException {
        assertContains(load("app.shop.datasource=   ").forApp("shop").problem(), "app.shop.datasource", "empty");
    }

    // --- bad values: file, line and key ------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-3", "3601", "2.5", "99999999999"})
    void badRefreshSecondsNamesFileLineAndKey(String value) throws IOException {
        GateSettings settings = load("# UpgradeGate", "", "install.path=/install", "refresh.seconds = " + value);
        Path file = dir.resolve("upgradegate.properties");
        assertContains(settings.problem(), file.toString(), "line 4", "refresh.seconds", "'" + value + "'");
        assertEquals(2, settings.refreshSeconds(), "falls back to the default");
        assertContains(settings.forApp("shop").problem(), file.toString(), "line 4", "refresh.seconds");
    }

    @Test
    void badRetryAfterNamesFileLineAndKey() throws IOException {
        GateSettings settings = load("retry.afterSeconds=soon");
        assertContains(settings.problem(), settings.source().toString(), "line 1", "retry.afterSeconds", "soon");
        assertEquals(60, settings.retryAfterSeconds());
        assertContains(load("retry.afterSeconds=86401").problem(), "retry.afterSeconds");
        assertNull(load("retry.afterSeconds=86400").problem());
    }

    @Test
    void guessLimitsAndTrustedProxiesDefaultToTheDocumentedValues() throws IOException {
        GateSettings defaults = load("# nothing set");
        assertEquals(5, defaults.signInLimit());
        assertEquals(100, defaults.guessLimitGlobal());
        assertTrue(defaults.trustedProxies().isEmpty(), "none: the TCP peer is the client");
        assertEquals("100", Setting.INSTALL_GUESS_LIMIT_GLOBAL.defaultValue());

        GateSettings set = load("install.guessLimitGlobal=40", "install.trustedProxies=127.0.0.1/32, 10.0.0.5");
        assertNull(set.problem());
        assertEquals(40, set.guessLimitGlobal());
        assertTrue(set.trustedProxies().get(1).contains("10.0.0.5"));
        assertContains(load("install.guessLimitGlobal=0").problem(), "line 1", "install.guessLimitGlobal");
        assertContains(load("install.trustedProxies=proxy.example.com").problem(), "line 1", "install.trustedProxies",
                "proxy.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"install", "/", "/in stall", "/../install", "/a/./b", "//install", "/install/"})
    void badInstallPathIsAHostProblem(String path) throws IOException {
        GateSettings settings = load("install.path=" + path);
        assertContains(settings.problem(), settings.source().toString(), "line 1", "install.path");
    }

    @Test
    void lineNumberIsFoundEvenWhenAnotherKeyStartsTheSame() throws IOException {
        GateSettings settings = load("refresh.secondsx=1", "refresh.seconds=oops");
        assertContains(settings.problem(), "line 2: refresh.seconds:");
        assertContains(settings.problem(), "line 1: refresh.secondsx:");
    }

    @Test
    void malformedUnicodeEscapeIsAHostProblemNamingFileAndLine() throws IOException {
        GateSettings settings = load("jdbc.url=jdbc:h2:mem:x", "# a comment", "jdbc.user=caf\\u00e", "refresh.seconds=3");
        assertContains(settings.problem(), settings.source().toString(), "line 3");
        AppSettings shop = settings.forApp("shop");
        assertEquals(settings.problem(), shop.problem());
        assertTrue(shop.gated());
    }

    @Test
    void malformedEscapeLineIgnoresCommentsAndEscapedBackslashes() throws IOException {
        GateSettings settings = load(
                "# write non-ASCII characters as \\uXXXX, e.g. \\u00e9",
                "! or as \\u followed by four hex digits",
                "app.shop.datasource=jdbc\\\\users",
                "app.shop.jdbc.user=caf\\u00zz");
        assertContains(settings.problem(), settings.source().toString(), "line 4");
    }

    @Test
    void duplicateKeyIsReportedAtTheLineWhoseValueCounts() throws IOException {
        GateSettings settings = load("refresh.seconds=2", "retry.afterSeconds=60", "refresh.seconds=often");
        assertEquals(2, settings.refreshSeconds());
        assertContains(settings.problem(), "line 3", "refresh.seconds", "often");
    }

    @Test
    void validUnicodeEscapeIsDecoded() throws IOException {
        AppSettings shop = load("app.shop.jdbc.url=jdbc:h2:mem:caf\\u00e9").forApp("shop");
        assertNull(shop.problem());
        assertEquals("jdbc:h2:mem:caf\u00e9", shop.jdbcUrl());
    }

    // --- unreadable file ---------------------------------------------------------------------------

    @Test
    void missingFileIsAHostProblemAndEveryAppIsMisconfigured() {
        Path missing = dir.resolve("nope/upgradegate.properties");
        GateSettings settings = GateSettings.load(missing);
        assertContains(settings.problem(), missing.toString());
        for (String app : new String[] {"shop", "blog", "ROOT"}) {
            AppSettings settingsOfApp = settings.forApp(app);
            assertEquals(settings.problem(), settingsOfApp.problem());
            assertTrue(settingsOfApp.gated(), app + " is held in maintenance");
        }
        assertEquals("/install", settings.installPath());
        assertEquals(60, settings.retryAfterSeconds());
    }

    @Test
    void unreadableFileIsAHostProblemAndEveryAppIsMisconfigured() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("upgradegate.properties"));
        GateSettings settings = GateSettings.load(directory);
        assertContains(settings.problem(), directory.toString(), "cannot read");
        assertEquals(settings.problem(), settings.forApp("shop").problem());
        assertTrue(settings.forApp("shop").gated());
    }

    // --- secrets -----------------------------------------------------------------------------------

    @Test
    void secretsNeverAppearInAnyProblem() throws IOException {
        List<GateSettings> all = new ArrayList<>();
        all.add(load("jdbc.password=" + PASSWORD, "install.token=" + TOKEN));
        all.add(load("app.shop.jdbc.password=" + PASSWORD, "app.shop.install.token=" + TOKEN, "app.shop.bad=1"));
        all.add(load("jdbc.passwd=" + PASSWORD, "install.tokn=" + TOKEN));
        all.add(load("app.shop.jdbc.passwd=" + PASSWORD, "app.shop.install.tokn=" + TOKEN));
        all.add(load("app.shop.install.token=" + TOKEN.substring(0, 12), "install.token=" + TOKEN.substring(0, 10)));
        all.add(load("app.shop.datasource=jdbc/ShopDB", "app.shop.jdbc.password=" + PASSWORD,
                "app.shop.jdbc.url=jdbc:h2:mem:x", "refresh.seconds=x"));
        all.add(load("app.shop.jdbc.password=" + PASSWORD + "\\u12", "install.token=" + TOKEN + "\\uzz"));
        all.add(load("install.tokenFile=/tmp/x", "app.shop.install.tokenFile=" + TOKEN));
        all.add(GateSettings.of(Path.of("/etc/upgradegate.properties"),
                Map.of("jdbc.password", PASSWORD, "install.token", "short" + TOKEN.substring(0, 5))));
        int problems = 0;
        for (GateSettings settings : all) {
            for (String problem : new String[] {settings.problem(), settings.forApp("shop").problem(),
                    settings.forApp("blog").problem()}) {
                if (problem != null) {
                    problems++;
                    assertFalse(problem.contains(PASSWORD), problem);
                    assertFalse(problem.contains(TOKEN.substring(0, 10)), problem);
                    assertFalse(problem.contains("short" + TOKEN.substring(0, 5)), problem);
                }
            }
        }
        assertTrue(problems >= all.size(), "every configuration above has a problem; got " + problems);
    }

    @Test
    void secretSettingsAreMarkedSecret() {
        assertTrue(Setting.JDBC_PASSWORD.secret());
        assertTrue(Setting.INSTALL_TOKEN.secret());
        assertFalse(Setting.JDBC_URL.secret());
    }

    @Test
    void shortInstallTokenIsRefused() throws IOException {
        GateSettings settings = load("app.shop.datasource=jdbc/ShopDB", "app.shop.install.token=tooShort123");
        assertContains(settings.forApp("shop").problem(), "app.shop.install.token", "16");
        assertNull(settings.forApp("blog").problem());
    }

    @Test
    void shortHostInstallTokenIsAHostProblemThatDoesNotShowTheToken() throws IOException {
        GateSettings settings = load("jdbc.url=jdbc:h2:mem:x", "install.token=Zq9-shorty");
        assertContains(settings.problem(), settings.source().toString(), "line 2", "install.token", "16");
        assertFalse(settings.problem().contains("Zq9-shorty"), settings.problem());
        assertNull(load("install.token=" + TOKEN).problem());
    }

    @Test
    void passwordIsKeptVerbatim() throws IOException {
        AppSettings shop = load("app.shop.jdbc.url=jdbc:h2:mem:x", "app.shop.jdbc.password=" + PASSWORD + "=:#x")
                .forApp("shop");
        assertNull(shop.problem());
        assertEquals(PASSWORD + "=:#x", shop.jdbcPassword());
    }

    // --- old spellings ------------------------------------------------------------------------------

    @Test
    void oldSpellingsAreReadWithOneWarningNamingTheFileLineAndNewKey() throws IOException {
        GateSettings settings = load("# before the one key style", "retry.after.seconds=120",
                "install.token.file=tokens/install.token");
        assertNull(settings.problem());
        assertEquals(120, settings.retryAfterSeconds());
        assertEquals(dir.resolve("tokens/install.token"), settings.tokenFile(), "relative to the file's folder");
        assertEquals(2, settings.warnings().size(), String.valueOf(settings.warnings()));
        assertContains(settings.warnings().get(0), settings.source() + " line 2: retry.after.seconds:",
                "retry.afterSeconds");
        assertContains(settings.warnings().get(1), "line 3: install.token.file:", "install.tokenFile");
        assertTrue(load("retry.afterSeconds=120").warnings().isEmpty());
    }

    @Test
    void anOldSpellingIsCheckedAsItsNewKeyIs() throws IOException {
        GateSettings settings = load("retry.after.seconds=soon");
        assertContains(settings.problem(), "line 1: retry.after.seconds:", "from 1 to 86400", "'soon'");
        assertContains(load("app.shop.install.token.file=/tmp/t").forApp("shop").problem(),
                "app.shop.install.token.file", "whole host");
    }

    @Test
    void bothSpellingsOfOneKeyAreAProblem() throws IOException {
        GateSettings settings = load("retry.afterSeconds=30", "retry.after.seconds=120");
        assertContains(settings.problem(), "line 2: retry.after.seconds:", "retry.afterSeconds", "keep one");
        assertEquals(30, settings.retryAfterSeconds());
    }

    // --- typed ignore, maintenance.page, health.path -----------------------------------------------

    @Test
    void ignorePatternsAreReadOnceIntoAList() throws IOException {
        GateSettings settings = load("ignore=/healthz", "app.shop.ignore= static/** , /*.css ,");
        assertEquals(List.of("/static/**", "/*.css"), settings.forApp("shop").ignore(), "a leading / is implied");
        assertEquals(List.of("/healthz"), settings.forApp("blog").ignore());
        assertEquals(List.of(), load("# none").forApp("blog").ignore());
        assertEquals(List.of("/caf\u00e9/*.css"), load("ignore=/caf\\u00e9/*.css").forApp("blog").ignore(),
                "matched against the decoded path");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/static/** /img", "/search?q=*", "/a#b", "/a;jsessionid=*", "/../admin/**", "/./x",
        "/***", " , ", "/a\\\\b"})
    void badIgnorePatternsAreRefusedAtLoadNamingTheKey(String patterns) throws IOException {
        GateSettings settings = load("app.shop.datasource=jdbc/ShopDB", "app.shop.ignore=" + patterns);
        assertNull(settings.problem(), "per webapp: that webapp only");
        assertContains(settings.forApp("shop").problem(), "line 2: app.shop.ignore:");
        assertContains(load("ignore=" + patterns).problem(), "line 1: ignore:");
    }

    @Test
    void theMaintenancePageIsAFileBesideTheConfiguration() throws IOException {
        GateSettings settings = load("maintenance.page=pages/maintenance.html",
                "app.shop.maintenance.page=/srv/shop/down.html");
        assertEquals(dir.resolve("pages/maintenance.html"), settings.forApp("blog").maintenancePage());
        assertEquals(Path.of("/srv/shop/down.html"), settings.forApp("shop").maintenancePage());
        assertContains(load("maintenance.page=a\u0000b").problem(), "line 1: maintenance.page:", "file name");
        assertContains(load("maintenance.page=").problem(), "line 1: maintenance.page:", "empty");
    }

    @Test
    void theHealthPathIsReadAtLoad() throws IOException {
        assertEquals("/upgradegate/health", load("health.path = /upgradegate/health").healthPath());
        assertNull(load("# none").healthPath());
        for (String bad : new String[] {"upgradegate/health", "/", "/health/", "/a/../health", "/he alth"}) {
            GateSettings settings = load("health.path=" + bad);
            assertContains(settings.problem(), "line 1: health.path:", "must be a path");
            assertNull(settings.healthPath(), "no health URL from a refused value");
        }
        assertContains(load("app.shop.health.path=/health").forApp("shop").problem(), "whole host");
    }

    // --- settings from a map -----------------------------------------------------------------------

    @Test
    void settingsFromAMapWork() {
        GateSettings settings = GateSettings.of(Path.of("/etc/gate.properties"),
                Map.of("refresh.seconds", "7", "app.shop.datasource", "jdbc/ShopDB"));
        assertNull(settings.problem());
        assertEquals(7, settings.refreshSeconds());
        assertEquals("jdbc/ShopDB", settings.forApp("shop").datasource());
        assertEquals(Path.of("/etc/upgradegate-install.token"), settings.tokenFile());
        assertContains(GateSettings.of(Path.of("/etc/gate.properties"), Map.of("refresh.seconds", "x")).problem(),
                "/etc/gate.properties", "refresh.seconds");
    }
}
