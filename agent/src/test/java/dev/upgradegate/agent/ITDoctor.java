package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/** {@code doctor} as a hosting provider runs it before the first start: a configuration file against real databases. */
class ITDoctor {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path dir;

    static final String V2 = Fixtures.WARS.resolve("shop-2.0.0.war").toString();
    static final String DRIVER = Fixtures.DRIVER.toString();

    @Test
    void aGoodConfigurationPassesEveryCheck() throws Exception {
        String url = DB.createDatabase("doctor_good");
        Fixtures.schemaAt100(DB, url);
        Path config = file("upgradegate.properties", "rw-------", "install.token=" + Fixtures.TOKEN,
                "install.allow=127.0.0.0/8, ::1/128", "app.shop.jdbc.url=" + url, "app.shop.jdbc.user=" + DB.user(),
                "app.shop.jdbc.password=" + DB.password());

        CliRun doctor = CliRun.jar("doctor", "--config", config.toString(), "--app", "shop", "--war", V2,
                "--classpath", DRIVER);
        assertEquals(0, doctor.exit, doctor.toString());
        assertEquals("", doctor.err, doctor.toString());
        assertLine(doctor, "OK    Configuration: " + config + " is valid; it configures shop");
        assertLine(doctor, "OK    Secrets in the file: " + config + " holds app.shop.jdbc.password, install.token,"
                + " and others cannot read it");
        assertLine(doctor, "OK    Install over HTTPS: ");
        assertLine(doctor, "OK    Install addresses: install.allow: 127.0.0.0/8");
        assertLine(doctor, "OK    shop: Database reachable: ");
        assertLine(doctor, "OK    shop: Upgrade lock free: ");
        assertLine(doctor, "OK    shop: May create and alter tables: ");
        assertLine(doctor, "OK    shop: Tables: history table DATABASECHANGELOG and ");
        assertLine(doctor, "OK    shop: Migrations: liquibase db/changelog/db.changelog-master.xml, bundle version 2.0.0");
        assertLine(doctor, "OK    shop: State: UPGRADE_REQUIRED, ");
        assertTrue(doctor.out.endsWith("doctor: all checks passed (exit 0)\n"), doctor.toString());
        assertFalse(doctor.out.contains("WARN") || doctor.out.contains("FAIL"), doctor.toString());

        CliRun json = CliRun.jar("doctor", "--config", config.toString(), "--app", "shop", "--war", V2,
                "--classpath", DRIVER, "--json");
        assertEquals(0, json.exit, json.toString());
        assertEquals("", json.err, json.toString());
        assertEquals(1, json.out.lines().count(), "one JSON document: " + json);
        assertTrue(json.out.startsWith("{\"config\":\"" + config + "\",\"result\":\"OK\",\"checks\":[{\"app\":null,"
                + "\"check\":\"Configuration\",\"level\":\"OK\",\"detail\":"), json.toString());
        assertTrue(json.out.contains("{\"app\":\"shop\",\"check\":\"Migrations\",\"level\":\"OK\",\"detail\":\"liquibase "),
                json.toString());
    }

    /** What a first hour goes wrong with: an open token file, a database that is down, a wrong password. */
    @Test
    void aBrokenConfigurationSaysWhatToFixForEachWebapp() throws Exception {
        Path config = file("upgradegate.properties", "rw-r--r--", "app.down.jdbc.url=jdbc:mysql://127.0.0.1:1/shop",
                "app.locked.jdbc.url=" + DB.jdbcUrl(), "app.locked.jdbc.user=" + DB.user(),
                "app.locked.jdbc.password=wrong-" + DB.password(), "app.wiki.datasource=jdbc/Wiki");
        Path token = file("upgradegate-install.token", "rw-r--r--", "a-token-the-server-generated-earlier");

        CliRun doctor = CliRun.jar("doctor", "--config", config.toString(), "--classpath", DRIVER);
        assertEquals(2, doctor.exit, doctor.toString());
        assertEquals("", doctor.err, doctor.toString());
        assertLine(doctor, "FAIL  Install token: " + token + " is open to its group or others (rw-r--r--): chmod 600 "
                + token);
        assertLine(doctor, "WARN  Secrets in the file: " + config + " holds app.locked.jdbc.password and others can read"
                + " it (rw-r--r--): chmod o-rwx " + config);
        assertLine(doctor, "WARN  Install addresses: install.allow is not set");
        assertLine(doctor, "FAIL  down: Database reachable: cannot reach the database (Connection refused, waited at most"
                + " 5 s, db.timeoutSeconds): check the host and port in app.down.jdbc.url in " + config
                + ", and that the server runs");
        assertLine(doctor, "FAIL  locked: Database reachable: the database refused user '" + DB.user()
                + "' (wrong password?): check app.locked.jdbc.user in " + config + " and app.locked.jdbc.password in "
                + config);
        assertLine(doctor, "WARN  wiki: Database reachable: its datasource jdbc/Wiki exists only inside the server");
        assertFalse(doctor.out.contains("wrong-" + DB.password()), "never the password: " + doctor);
        assertTrue(doctor.out.endsWith("doctor: 3 failed, 3 warnings (exit 2)\n"), doctor.toString());

        CliRun json = CliRun.jar("doctor", "--config", config.toString(), "--classpath", DRIVER, "--json");
        assertEquals(2, json.exit, json.toString());
        assertEquals("", json.err, json.toString());
        assertEquals(1, json.out.lines().count(), "one JSON document: " + json);
        assertTrue(json.out.contains("\"result\":\"FAIL\""), json.toString());
        assertTrue(json.out.contains("{\"app\":\"down\",\"check\":\"Database reachable\",\"level\":\"FAIL\",\"detail\":"
                + "\"cannot reach the database (Connection refused"), json.toString());

        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        assertLine(CliRun.jar("doctor", "--config", config.toString(), "--app", "locked", "--classpath", DRIVER),
                "OK    Install token: " + token + " is readable by its owner only");
    }

    @Test
    void aWarWithoutItsChangelogFails() throws Exception {
        Path config = file("upgradegate.properties", "rw-------", "install.allow=127.0.0.0/8",
                "app.shop.jdbc.url=" + DB.jdbcUrl(), "app.shop.jdbc.user=" + DB.user(),
                "app.shop.jdbc.password=" + DB.password());
        Path war = dir.resolve("shop-without-changelog.war");
        try (ZipFile source = new ZipFile(V2); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war))) {
            for (ZipEntry entry : java.util.Collections.list(source.entries())) {
                if (!entry.getName().startsWith("WEB-INF/classes/db/")) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        CliRun doctor = CliRun.jar("doctor", "--config", config.toString(), "--app", "shop", "--war", war.toString(),
                "--classpath", DRIVER);
        assertEquals(2, doctor.exit, doctor.toString());
        assertLine(doctor, "OK    shop: Database reachable: ");
        assertLine(doctor, "FAIL  shop: Migrations: shop: the bundle carries no migrations");
        assertTrue(doctor.out.contains(": check --war, or set app.shop.changelog, app.shop.migrations or"
                + " app.shop.flyway.locations\n"), doctor.toString());
    }

    @Test
    void aFileThatDoesNotParseNamesItsLineAndKey() throws Exception {
        Path broken = file("broken.properties", "rw-------", "install.allow=127.0.0.0/8",
                "app.shop.jdbc.url=jdbc:mysql://127.0.0.1/shop\\u12");
        CliRun doctor = CliRun.jar("doctor", "--config", broken.toString(), "--classpath", DRIVER);
        assertEquals(2, doctor.exit, doctor.toString());
        assertLine(doctor, "FAIL  Configuration: " + broken + " line 2: not a valid properties file");

        Path unknownKey = file("unknown.properties", "rw-------", "install.allow=127.0.0.0/8",
                "app.shop.jdbc.url=" + DB.jdbcUrl(), "app.shop.colour=blue");
        CliRun misspelt = CliRun.jar("doctor", "--config", unknownKey.toString(), "--classpath", DRIVER);
        assertEquals(2, misspelt.exit, misspelt.toString());
        assertLine(misspelt, "FAIL  shop: Settings: " + unknownKey + " line 3: app.shop.colour: unknown key");
    }

    private Path file(String name, String permissions, String... lines) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    /** A line of stdout starts with {@code start}. */
    private static void assertLine(CliRun run, String start) {
        assertTrue(run.out.lines().anyMatch(line -> line.startsWith(start)), "no line starting with '" + start + "' in\n"
                + run);
    }
}
