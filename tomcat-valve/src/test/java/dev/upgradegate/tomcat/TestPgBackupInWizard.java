package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

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
 * The wizard's backup step on PostgreSQL, through its HTTP pages as a browser meets them: pg_dump's backup written
 * in the background with psql's restore command; and where backup.pgDump names no pg_dump, the step says so and
 * offers only the administrator's own backup.
 */
class TestPgBackupInWizard {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    static final String TOKEN = "pg-backup-token-0123456789";

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;
    static Path backups;
    static String shop;

    @BeforeAll
    static void start() throws Exception {
        backups = base.resolve("backups");
        shop = DB.createDatabase("wizard_pg");
        String without = DB.createDatabase("wizard_nopg");
        String refused = DB.createDatabase("wizard_refused");
        // A pg_dump that meets a server refusing its password, as one with a wrong ~/.pgpass would.
        Path refusing = Files.writeString(base.resolve("refused-pg_dump"), "#!/bin/sh\n"
                + "echo 'pg_dump: error: connection to server at \"db\" (10.0.0.5), port 5432 failed: FATAL:  password"
                + " authentication failed for user \"shop\"' >&2\necho '-- partial' \nexit 1\n");
        Files.setPosixFilePermissions(refusing, PosixFilePermissions.fromString("rwx------"));
        try (Connection connection = DriverManager.getConnection(shop, DB.user(), DB.password());
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE legacy_note (id INT PRIMARY KEY, text TEXT)");
            sql.execute("INSERT INTO legacy_note VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        }
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "backup.dir=" + backups,
                "app.shop.jdbc.url=" + shop,
                "app.shop.jdbc.user=" + DB.user(),
                "app.shop.jdbc.password=" + DB.password(),
                "app.bare.jdbc.url=" + without,
                "app.bare.jdbc.user=" + DB.user(),
                "app.bare.jdbc.password=" + DB.password(),
                "app.bare.backup.pgDump=" + base.resolve("no-such/pg_dump"),
                "app.refused.jdbc.url=" + refused,
                "app.refused.jdbc.user=" + DB.user(),
                "app.refused.jdbc.password=" + DB.password(),
                "app.refused.backup.pgDump=" + refusing,
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB, "PgBackup");
        http = tomcat.http;
        Path bundle = new TestBundle("1.0.0").sql("create-item", "CREATE TABLE item (id INT)").tag("1.0.0")
                .directory(base.resolve("bundle"));
        tomcat.deploy("/shop", bundle, "shop", shop);
        tomcat.deploy("/bare", bundle, "shop", without);
        tomcat.deploy("/refused", bundle, "shop", refused);
        http.await("/shop/install/status", 60, Http.state("NOT_INSTALLED"));
        http.await("/bare/install/status", 60, Http.state("NOT_INSTALLED"));
        http.await("/refused/install/status", 60, Http.state("NOT_INSTALLED"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    void pgDumpsBackupIsWrittenInTheBackgroundWithPsqlsRestoreCommand() throws Exception {
        WizardClient admin = new WizardClient(http.base());
        assertEquals(303, admin.signIn("/shop", TOKEN).statusCode());
        String fresh = admin.get("/shop/install/backup").body();
        assertTrue(fresh.contains("UpgradeGate runs <code>pg_dump</code>"), fresh);
        assertEquals(303, admin.makeBackup("/shop", 60).statusCode());
        String done = admin.get("/shop/install/backup").body();
        Path file = backupFiles("shop").get(0);
        String database = shop.substring(shop.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        String hostPort = shop.replaceAll("^jdbc:postgresql://([^/]+)/.*", "$1");
        assertTrue(done.contains("<pre>gunzip &lt; " + file + " | psql -X -v ON_ERROR_STOP=1 --single-transaction -h "
                + hostPort.replace(":", " -p ") + " -U " + DB.user() + " -d " + database + "</pre>"),
                "psql's restore command, with the connection's host, port, user and database: " + done);
        assertTrue(done.contains("<td data-label=\"Table\">public.legacy_note</td><td data-label=\"Rows\">3</td>"),
                done);

        assertEquals(List.of(file), backupFiles("shop"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String dump;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            dump = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(dump.contains("COPY public.legacy_note (id, text) FROM stdin;\n1\tone\n2\ttwo\n3\tthree\n\\.\n"),
                dump);
        assertTrue(dump.contains("-- PostgreSQL database dump complete"), dump);
    }

    @Test
    void withoutPgDumpTheStepSaysSoAndOffersOnlyTheAdminsOwnBackup() throws Exception {
        WizardClient admin = new WizardClient(http.base());
        assertEquals(303, admin.signIn("/bare", TOKEN).statusCode());
        String page = admin.get("/bare/install/backup").body();
        assertTrue(page.contains("UpgradeGate cannot back this database up here.</strong> pg_dump, PostgreSQL&#39;s"
                + " backup tool, cannot be found on this server: backup.pgDump is " + base.resolve("no-such/pg_dump")),
                page);
        assertFalse(page.contains("name=\"action\" value=\"make\""), "no button makes what cannot be made: " + page);
        assertTrue(page.contains("Continue with my own backup"), "although backup.allowOwn is off: " + page);

        HttpResponse<String> made = admin.post("/bare/install/backup", "csrf", admin.csrf, "action", "make");
        assertEquals(409, made.statusCode());
        assertTrue(backupFiles("bare").isEmpty(), "no backup was attempted");
        assertEquals(303, admin.get("/bare/install/start").statusCode(), "no start without a backup");

        HttpResponse<String> own = admin.post("/bare/install/backup", "csrf", admin.csrf, "action", "own", "own", "yes");
        assertEquals(303, own.statusCode());
        assertTrue(admin.get("/bare/install/backup").body().contains("You have confirmed that you have your own"));
        assertEquals(200, admin.get("/bare/install/start").statusCode());
    }

    @Test
    void aFailingPgDumpIsAFailedBackupInPlainWordsAndLeavesNoFile() throws Exception {
        WizardClient admin = new WizardClient(http.base());
        assertEquals(303, admin.signIn("/refused", TOKEN).statusCode());
        admin.get("/refused/install/backup");
        assertEquals(303, admin.post("/refused/install/backup", "csrf", admin.csrf, "action", "make").statusCode());
        long deadline = System.nanoTime() + 60_000_000_000L;
        String page = admin.get("/refused/install/backup").body();
        while (!page.contains("The backup failed.")) {
            assertTrue(System.nanoTime() < deadline, "the backup did not fail within 60 s: " + page);
            Thread.sleep(200);
            page = admin.get("/refused/install/backup").body();
        }
        assertTrue(page.contains("The database refused pg_dump&#39;s sign-in.") && page.contains("jdbc.password"),
                page);
        assertFalse(page.contains("FATAL") || page.contains("10.0.0.5"), "pg_dump's own words stay in the log: " + page);
        assertTrue(page.contains("for instance with <code>pg_dump</code>") && page.contains("Continue with my own"),
                page);
        assertTrue(backupFiles("refused").isEmpty(), "the partial file is gone: " + backupFiles("refused"));
    }

    private static List<Path> backupFiles(String webapp) throws Exception {
        Path folder = backups.resolve(webapp);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.collect(Collectors.toList());
        }
    }
}
