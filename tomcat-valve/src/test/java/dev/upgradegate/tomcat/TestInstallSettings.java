package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Settings end to end on embedded Tomcat 11 and a real database: the wizard under {@code install.path=/setup},
 * showing {@code license.file} instead of the bundle's own licence, writing backups readable by their owner only
 * and never over an existing file; and a legacy webapp gated by {@code version.query}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestInstallSettings {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "install-settings-token-0123456789";
    static final String[] AUTH = {"Authorization", "Bearer " + TOKEN};
    static final String OPERATORS_LICENCE = "The operator's own terms: no warranty beyond this page.";

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static Path backups;
    static WizardClient admin;

    @BeforeAll
    static void start() throws Exception {
        backups = base.resolve("backups");
        Path licence = Files.writeString(base.resolve("terms.txt"), OPERATORS_LICENCE);
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "install.path=/setup",
                "refresh.seconds=1",
                "backup.dir=" + backups,
                "app.shop.datasource=jdbc/ShopDB",
                "app.shop.license.file=" + licence,
                "app.legacy.datasource=jdbc/ShopDB",
                "app.legacy.version.query=SELECT v FROM app_version",
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB, "Settings");
        http = tomcat.http;
        Path shop = new TestBundle("1.0.0")
                .sql("create-item", "CREATE TABLE item (id INT)").tag("1.0.0")
                .file("META-INF/LICENSE", "The bundle's own licence, which license.file replaces.")
                .directory(base.resolve("shop"));
        tomcat.deploy("/shop", shop, "shop", DB.jdbcUrl());
        http.await("/shop/setup/status", 60, Http.state("NOT_INSTALLED"));
        admin = new WizardClient(http.base());
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    @Order(1)
    void theInstallEndpointLivesUnderInstallPathOnly() {
        assertEquals(401, http.send("POST", "/shop/setup/upgrade").statusCode());
        HttpResponse<String> old = http.send("POST", "/shop/install/upgrade", AUTH);
        assertEquals(503, old.statusCode(), "the default path is the gated webapp's like any other: " + old.body());
        assertTrue(old.body().contains("NOT_INSTALLED"), old.body());
        assertEquals(503, http.get("/shop/install/status").statusCode());

        admin.get("/shop/setup/signin");
        HttpResponse<String> signedIn = admin.post("/shop/setup/signin", "csrf", admin.csrf, "token", TOKEN);
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        assertTrue(signedIn.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.contains("Path=/shop/setup")),
                signedIn.headers().allValues("Set-Cookie").toString());
        String overview = admin.get("/shop/setup/overview").body();
        assertTrue(overview.contains("href=\"/shop/setup/licence\""), overview);
        assertFalse(overview.contains("/shop/install/"), "every link follows install.path");
    }

    @Test
    @Order(2)
    void theWizardShowsLicenseFileInsteadOfTheBundlesOwn() {
        assertEquals("/shop/setup/licence", admin.get("/shop/setup/start").headers().firstValue("Location").orElse(""),
                "no start before the licence is agreed to");
        String page = admin.get("/shop/setup/licence").body();
        assertTrue(page.contains("The operator&#39;s own terms: no warranty beyond this page."), page);
        assertFalse(page.contains("The bundle"), page);
        assertEquals(400, admin.post("/shop/setup/licence", "csrf", admin.csrf).statusCode());
        HttpResponse<String> agreed = admin.post("/shop/setup/licence", "csrf", admin.csrf, "agree", "yes");
        assertEquals("/shop/setup/backup", agreed.headers().firstValue("Location").orElse(""));
    }

    @Test
    @Order(3)
    void backupsAreTheOwnersOnlyAndNeverOverwriteAFile() throws Exception {
        Path first = makeBackup();
        Path folder = first.getParent();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        byte[] firstBytes = Files.readAllBytes(first);

        // Files that hold every name the next backup could take in the coming minute: it must pick another.
        Map<Path, String> planted = new LinkedHashMap<>();
        LocalDateTime now = LocalDateTime.now();
        for (int second = -2; second <= 60; second++) {
            String stamp = now.plusSeconds(second).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
            Path decoy = folder.resolve("shop-" + stamp + ".sql.gz");
            if (!Files.exists(decoy)) {
                planted.put(Files.writeString(decoy, "someone else's file " + stamp), "someone else's file " + stamp);
            }
        }
        Path second = makeBackup();
        assertTrue(second.getFileName().toString().matches("shop-\\d{8}-\\d{6}-\\d+\\.sql\\.gz"), second.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(second)));
        assertTrue(Files.size(second) > 0);
        for (Map.Entry<Path, String> decoy : planted.entrySet()) {
            assertEquals(decoy.getValue(), Files.readString(decoy.getKey(), StandardCharsets.UTF_8));
        }
        assertArrayEquals(firstBytes, Files.readAllBytes(first), "the first backup is untouched");
    }

    /** The backup step's button, then the page that reloads until the dump is written; the new file. */
    static Path makeBackup() throws Exception {
        List<Path> before = backupFiles();
        admin.get("/shop/setup/backup");
        assertEquals(303, admin.post("/shop/setup/backup", "csrf", admin.csrf, "action", "make").statusCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!admin.get("/shop/setup/backup").body().contains("The backup is written.")) {
            assertTrue(System.nanoTime() < deadline, "the backup was not written within 60 s");
            Thread.sleep(200);
        }
        List<Path> made = backupFiles();
        made.removeAll(before);
        made.removeIf(file -> !file.getFileName().toString().endsWith(".sql.gz") || isDecoy(file));
        assertEquals(1, made.size(), made.toString());
        return made.get(0);
    }

    private static boolean isDecoy(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).startsWith("someone else's file");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<Path> backupFiles() throws Exception {
        if (!Files.exists(backups)) {
            return new java.util.ArrayList<>();
        }
        try (Stream<Path> files = Files.walk(backups)) {
            return files.filter(Files::isRegularFile).collect(Collectors.toList());
        }
    }

    @Test
    @Order(4)
    void theWizardUpgradesUnderInstallPath() {
        admin.get("/shop/setup/start");
        HttpResponse<String> started = admin.post("/shop/setup/start", "csrf", admin.csrf);
        assertEquals(303, started.statusCode(), started.body());
        http.await("/shop/setup/status", 60, Http.state("UP"));
        assertTrue(http.get("/shop/").body().contains(TestBundle.CONTENT));
        assertEquals(404, http.get("/shop/install/status").statusCode(), "the webapp's own, which has no such page");
    }

    /** The legacy webapp is UP exactly when the query's version equals the bundle's, whatever its changelog says. */
    @Test
    @Order(5)
    void versionQueryGatesALegacyWebapp() throws Exception {
        String url = DB.createDatabase("legacy");
        try (Connection connection = java.sql.DriverManager.getConnection(url, DB.user(), DB.password());
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE app_version (v VARCHAR(20))");
            sql.execute("INSERT INTO app_version VALUES ('1.0.0')");
            Path legacy = new TestBundle("2.0.0").database("legacy")
                    .sql("bump-version", "UPDATE app_version SET v = '2.0.0'")
                    .directory(base.resolve("legacy"));
            tomcat.deploy("/legacy", legacy, "legacy", url);
            http.await("/legacy/setup/status", 60, Http.state("UPGRADE_REQUIRED"));
            assertEquals(503, http.get("/legacy/").statusCode());

            assertEquals(202, http.send("POST", "/legacy/setup/upgrade", AUTH).statusCode());
            http.await("/legacy/setup/status", 60, Http.state("UP"));
            assertTrue(http.get("/legacy/").body().contains(TestBundle.CONTENT));

            sql.execute("UPDATE app_version SET v = '3.0.0'");
            http.await("/legacy/setup/status", 30, Http.state("SCHEMA_NEWER"));
            assertEquals(503, http.get("/legacy/").statusCode());
            sql.execute("UPDATE app_version SET v = '1.0.0'");
            http.await("/legacy/setup/status", 30, Http.state("UPGRADE_REQUIRED"));
            assertEquals(503, http.get("/legacy/").statusCode(), "the changelog has run, yet the query's version decides");
        }
    }
}
