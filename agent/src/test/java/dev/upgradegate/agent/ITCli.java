package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.migrations.LeftLock;
import dev.upgradegate.migrations.UpgradeLock;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TestDriver;

/**
 * The CLI as a deploy pipeline runs it: {@code java -jar upgradegate-agent.jar}, on the real MySQL/MariaDB database,
 * in order: status and upgrade ({@link CliStatusAndUpgrade}), then configuration files, lock release, maintenance,
 * Flyway, usage and errors.
 */
class ITCli extends CliStatusAndUpgrade {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    static Path dir;

    static final String NOTES_1 = Fixtures.WARS.resolve("notes-1.0.0.war").toString();
    static final String NOTES_2 = Fixtures.WARS.resolve("notes-1.1.0.war").toString();

    @Override
    TestDatabase db() {
        return DB;
    }

    @Override
    String driverAdvice() {
        return "(mariadb-java-client or mysql-connector-j), or check --jdbc-url"
                + (DB.driver() == TestDriver.MYSQL ? " (MariaDB's own driver takes jdbc:mariadb: URLs)" : "");
    }

    @Test
    @Order(7)
    void configFileAndClasspathBundle() throws Exception {
        Path config = Fixtures.config(dir, "app.shop.jdbc.url=" + DB.jdbcUrl(), "app.shop.jdbc.user=" + DB.user(),
                "app.shop.jdbc.password=" + DB.password());
        Path classes = dir.resolve("classes");
        try (java.util.zip.ZipFile war = new java.util.zip.ZipFile(V2)) {
            for (java.util.zip.ZipEntry entry : java.util.Collections.list(war.entries())) {
                String name = entry.getName();
                Path target = name.startsWith("WEB-INF/classes/") ? classes.resolve(name.substring(16))
                        : name.equals("META-INF/MANIFEST.MF") ? classes.resolve(name) : null;
                if (target != null && !entry.isDirectory()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(war.getInputStream(entry), target);
                }
            }
        }
        ServerProcess.Result status = Fixtures.cli("status", "--config", config.toString(), "--app", "shop",
                "--classpath", classes + java.io.File.pathSeparator + Fixtures.DRIVER);
        assertEquals(0, status.exit, status.toString());
        assertTrue(status.output.contains("shop: UP"), status.output);
        assertTrue(!Files.exists(dir.resolve("upgradegate-install.token")), "the CLI never writes the server's token file");
    }

    @Test
    @Order(9)
    void releaseLockFreesAStaleLiquibaseLockOnlyAndRefusesALiveOwner() throws Exception {
        lockLiquibase("NOW()", "someone running Liquibase by hand");
        ServerProcess.Result fresh = cli("release-lock", V2);
        assertEquals(0, fresh.exit, fresh.toString());
        assertTrue(fresh.output.contains("no lock was held"), "a fresh lock may have a live owner: " + fresh);
        assertEquals(1, liquibaseLocked());

        lockLiquibase("NOW() - INTERVAL 1 HOUR", "killed deploy");
        ServerProcess.Result released = cli("release-lock", V2);
        assertEquals(0, released.exit, released.toString());
        assertTrue(released.output.contains("released a stale upgrade lock"), released.output);
        assertEquals(0, liquibaseLocked());
        ServerProcess.Result nothing = cli("release-lock", V2);
        assertEquals(0, nothing.exit, nothing.toString());
        assertTrue(nothing.output.contains("no lock was held"), nothing.toString());

        try (Connection holder = DB.open(); UpgradeLock live = UpgradeLock.tryAcquire(holder, "web-1 (pid 42)", LeftLock.NONE, 60)) {
            assertTrue(live != null);
            ServerProcess.Result refused = cli("release-lock", V2);
            assertEquals(1, refused.exit, refused.toString());
            assertTrue(refused.output.contains("an upgrade is running"), refused.toString());
            try (Connection observer = DB.open()) {
                assertEquals("web-1 (pid 42)", UpgradeLock.inspect(observer, 60).owner(), "the live owner keeps its lock");
                assertTrue(UpgradeLock.isHeld(observer, 60));
            }
        }
    }

    @Test
    @Order(10)
    void maintenanceOnAndOffWriteTheSharedRowTheServersRead() throws Exception {
        Path config = Fixtures.config(dir, "app.shop.jdbc.url=" + DB.jdbcUrl(), "app.shop.jdbc.user=" + DB.user(),
                "app.shop.jdbc.password=" + DB.password());
        String driver = Fixtures.DRIVER.toString();
        ServerProcess.Result on = Fixtures.cli("maintenance", "on", "--config", config.toString(), "--app", "shop",
                "--message", "Back at 14:00", "--minutes", "30", "--classpath", driver);
        assertEquals(0, on.exit, on.toString());
        assertTrue(on.output.contains("shop: maintenance on until 20"), on.output);
        java.util.regex.Matcher bypass = java.util.regex.Pattern.compile("bypass: /shop/install/bypass/([A-Za-z0-9_-]{16,})")
                .matcher(on.output);
        assertTrue(bypass.find(), on.output);
        try (Connection connection = DB.open(); Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SELECT MESSAGE, SECRET, UNTIL_MILLIS - "
                     + "(UNIX_TIMESTAMP(NOW(3)) * 1000) FROM UPGRADEGATE_MAINTENANCE WHERE WEBAPP = 'shop'")) {
            assertTrue(row.next(), "the row the valve and the agent read");
            assertEquals("Back at 14:00", row.getString(1));
            assertEquals(bypass.group(1), row.getString(2));
            long left = row.getLong(3);
            assertTrue(left > 25 * 60_000 && left <= 30 * 60_000, "ends in 30 minutes: " + left);
        }
        ServerProcess.Result down = Fixtures.cli("status", "--config", config.toString(), "--app", "shop",
                "--war", V2, "--classpath", driver);
        assertTrue(down.output.contains("shop: MAINTENANCE (Err 8)"), "the gate itself sees it: " + down.output);

        ServerProcess.Result off = Fixtures.cli("maintenance", "off", "--config", config.toString(), "--app", "shop",
                "--classpath", driver);
        assertEquals(0, off.exit, off.toString());
        assertTrue(off.output.contains("shop: maintenance turned off"), off.output);
        assertEquals(0, maintenanceRows());
        assertTrue(Fixtures.cli("status", "--config", config.toString(), "--app", "shop", "--war", V2, "--classpath", driver)
                .output.contains("shop: UP"));
        assertTrue(Fixtures.cli("maintenance", "off", "--config", config.toString(), "--app", "shop", "--classpath", driver)
                .output.contains("shop: maintenance was not on"));

        ServerProcess.Result bad = Fixtures.cli("maintenance", "on", "--config", config.toString(), "--app", "shop",
                "--minutes", "soon", "--classpath", driver);
        assertEquals(1, bad.exit, bad.toString());
        assertTrue(bad.output.contains("minutes must be a whole number"), bad.output);
        assertEquals(0, maintenanceRows());
    }

    @Test
    @Order(11)
    void maintenanceForEveryWebappInTheConfiguration() throws Exception {
        Path config = Fixtures.config(dir, "app.shop.jdbc.url=" + DB.jdbcUrl(), "app.shop.jdbc.user=" + DB.user(),
                "app.shop.jdbc.password=" + DB.password(), "app.blog.jdbc.url=" + DB.jdbcUrl(),
                "app.blog.jdbc.user=" + DB.user(), "app.blog.jdbc.password=" + DB.password());
        String driver = Fixtures.DRIVER.toString();
        ServerProcess.Result on = Fixtures.cli("maintenance", "on", "--config", config.toString(), "--all",
                "--classpath", driver, "--json");
        assertEquals(0, on.exit, on.toString());
        assertTrue(on.output.contains("{\"app\":\"blog\",\"maintenance\":true,\"until\":null,\"bypass\":\"/blog/install/bypass/")
                && on.output.contains("{\"app\":\"shop\",\"maintenance\":true,"), on.output);
        assertEquals(2, maintenanceRows());
        ServerProcess.Result off = Fixtures.cli("maintenance", "off", "--config", config.toString(), "--all",
                "--classpath", driver);
        assertEquals(0, off.exit, off.toString());
        assertTrue(off.output.contains("blog: maintenance turned off") && off.output.contains("shop: maintenance turned off"),
                off.output);
        assertEquals(0, maintenanceRows());

        Path withDatasource = Fixtures.config(dir, "app.shop.jdbc.url=" + DB.jdbcUrl(), "app.shop.jdbc.user=" + DB.user(),
                "app.shop.jdbc.password=" + DB.password(), "app.wiki.datasource=jdbc/Wiki");
        ServerProcess.Result partly = Fixtures.cli("maintenance", "on", "--config", withDatasource.toString(), "--all",
                "--classpath", driver);
        assertEquals(1, partly.exit, "a webapp the CLI cannot reach is reported, not skipped: " + partly);
        assertTrue(partly.output.contains("wiki: maintenance on failed: wiki has no jdbc.url"), partly.output);
        assertTrue(partly.output.contains("shop: maintenance on until turned off"), "the others still go down: " + partly.output);
        assertEquals(0, Fixtures.cli("maintenance", "off", "--config", withDatasource.toString(), "--app", "shop",
                "--classpath", driver).exit);
        assertEquals(0, maintenanceRows());
    }

    /**
     * The Flyway webapp built with Maven's defaults (its version only in pom.properties), on a fresh database of
     * its own: nothing tells the CLI it is Flyway but the bundle's db/migration.
     */
    @Test
    @Order(12)
    void flywayWebappFromAnEmptyDatabaseThroughItsNextRelease() throws Exception {
        String url = DB.createDatabase("cli_notes");

        ServerProcess.Result status = cliOn(DB, url, "status", NOTES_1);
        assertEquals(2, status.exit, status.toString());
        assertTrue(status.output.contains("app: NOT_INSTALLED (Err 1)"), status.output);
        assertTrue(status.output.contains("migrations: flyway db/migration"), status.output);
        assertTrue(status.output.contains("bundle version: 1.0.0 (META-INF/maven/dev.upgradegate/"
                + "upgradegate-test-webapp-notes-v1/pom.properties version)"), status.output);
        assertTrue(status.output.contains("schema version: none"), status.output);
        assertTrue(status.output.contains("pending changesets: 2\n"), status.output);
        assertTrue(status.output.contains("    1 by create note in V1__create_note.sql\n"
                + "    2 by seed notes in V2__seed_notes.sql\n"), status.output);

        ServerProcess.Result json = cliOn(DB, url, "status", NOTES_1, "--json");
        assertEquals(2, json.exit, json.toString());
        assertEquals("{\"app\":\"app\",\"state\":\"NOT_INSTALLED\",\"engine\":\"flyway\",\"bundleVersion\":\"1.0.0\","
                + "\"bundleVersionSource\":\"META-INF/maven/dev.upgradegate/upgradegate-test-webapp-notes-v1/pom.properties"
                + " version\",\"schemaVersion\":null,\"ahead\":[],\"pendingChangesets\":["
                + "{\"id\":\"1\",\"author\":\"create note\",\"file\":\"V1__create_note.sql\"},"
                + "{\"id\":\"2\",\"author\":\"seed notes\",\"file\":\"V2__seed_notes.sql\"}],\"lastError\":null}",
                lastLine(json), json.toString());

        ServerProcess.Result install = cliOn(DB, url, "upgrade", NOTES_1);
        assertEquals(0, install.exit, install.toString());
        // A progress line per migration. PRODUCT WEAKNESS if this fails: the CLI samples the progress every 50 ms
        // and prints only the changeset running at that moment, so a fast migration may have no line.
        assertTrue(install.output.contains("changeset 1/2: 1\n"), install.output);
        assertTrue(install.output.contains("changeset 2/2: 2\n"), install.output);
        assertTrue(install.output.contains("upgraded from an empty database to bundle 1.0.0"), install.output);
        assertTrue(install.output.contains("app: UP"), install.output);
        assertEquals(0, cliOn(DB, url, "status", NOTES_1).exit);

        ServerProcess.Result next = cliOn(DB, url, "status", NOTES_2);
        assertEquals(2, next.exit, next.toString());
        assertTrue(next.output.contains("app: UPGRADE_REQUIRED (Err 2)"), next.output);
        assertTrue(next.output.contains("bundle version: 1.1.0 (META-INF/maven/dev.upgradegate/"
                + "upgradegate-test-webapp-notes-v2/pom.properties version)"), next.output);
        assertTrue(next.output.contains("schema version: version 2, 2 migrations applied"), next.output);
        assertTrue(next.output.contains("pending changesets: 1\n    3 by add note tags in V3__add_note_tags.sql\n"),
                next.output);
        ServerProcess.Result nextJson = cliOn(DB, url, "status", NOTES_2, "--json");
        assertEquals(2, nextJson.exit, nextJson.toString());
        assertTrue(lastLine(nextJson).contains("\"state\":\"UPGRADE_REQUIRED\",\"engine\":\"flyway\","
                + "\"bundleVersion\":\"1.1.0\""), nextJson.toString());
        assertTrue(lastLine(nextJson).contains("\"pendingChangesets\":[{\"id\":\"3\",\"author\":\"add note tags\","
                + "\"file\":\"V3__add_note_tags.sql\"}]"), nextJson.toString());

        ServerProcess.Result upgrade = cliOn(DB, url, "upgrade", NOTES_2);
        assertEquals(0, upgrade.exit, upgrade.toString());
        assertTrue(upgrade.output.contains("changeset 1/1: 3\n"), upgrade.output);
        assertTrue(upgrade.output.contains("upgraded from version 2, 2 migrations applied"), upgrade.output);
        assertTrue(upgrade.output.contains(" to bundle 1.1.0 (schema version 3, 3 migrations applied"), upgrade.output);

        ServerProcess.Result up = cliOn(DB, url, "status", NOTES_2, "--json");
        assertEquals(0, up.exit, up.toString());
        assertTrue(lastLine(up).startsWith("{\"app\":\"app\",\"state\":\"UP\",\"engine\":\"flyway\","
                + "\"bundleVersion\":\"1.1.0\",\"bundleVersionSource\":\"META-INF/maven/dev.upgradegate/"
                + "upgradegate-test-webapp-notes-v2/pom.properties version\",\"schemaVersion\":\"version 3, 3 migrations"
                + " applied, the last on "), up.toString());
        assertTrue(lastLine(up).endsWith(",\"ahead\":[],\"pendingChangesets\":[],\"lastError\":null}"), up.toString());
        try (Connection connection = java.sql.DriverManager.getConnection(url, DB.user(), DB.password());
             Statement sql = connection.createStatement();
             ResultSet tags = sql.executeQuery("SELECT text FROM note WHERE tags = 'home'")) {
            assertTrue(tags.next(), "V3 ran: the notes have tags");
            assertEquals("Buy milk", tags.getString(1));
        }
    }

    @Test
    @Order(13)
    void usageNamesTheCommandAsTheUserTypedIt() throws Exception {
        CliRun jar = CliRun.jar();
        assertEquals(1, jar.exit, jar.toString());
        assertTrue(jar.err.contains("usage: java -jar upgradegate-agent.jar status|upgrade|release-lock"), jar.toString());
        CliRun script = CliRun.script(dir.resolve("upgradegate-dist"));
        assertEquals(1, script.exit, script.toString());
        String invoked = dir.resolve("upgradegate-dist/bin/upgradegate").toString();
        assertTrue(script.err.contains("usage: " + invoked + " status|upgrade|release-lock"), script.toString());
        assertTrue(script.err.contains(invoked + " doctor --config FILE"), script.toString());
        assertTrue(!script.err.contains("java -jar"), script.toString());
        String header = Files.readString(CliRun.LAUNCHER);
        for (String command : new String[] {"status", "upgrade", "release-lock", "maintenance", "doctor", "attach"}) {
            assertTrue(header.contains("#   " + command + " "), "the script's header lists " + command);
        }
    }

    /** Each failure is one line that names the option or file to fix; with --json, JSON on stdout and nothing else. */
    @Test
    @Order(14)
    void errorsNameTheOptionToFix() throws Exception {
        CliRun json = CliRun.jar("status", "--jdbc-url", DB.jdbcUrl(), "--war", V2, "--json", "--user", DB.user(),
                "--password", "wrong-" + DB.password(), "--classpath", Fixtures.DRIVER.toString());
        assertEquals(1, json.exit, json.toString());
        assertEquals("", json.err, json.toString());
        assertEquals("{\"app\":\"app\",\"state\":\"DB_UNAVAILABLE\",\"error\":\"the database refused user '" + DB.user()
                + "' (wrong password?): check --user and --password\"}\n", json.out, json.toString());

        Path config = Fixtures.config(dir, "app.shop.jdbc.url=" + DB.jdbcUrl());
        String[][] cases = {
            {"status --jdbc-url " + DB.jdbcUrl() + " --war " + dir.resolve("no.war"), "--war " + dir.resolve("no.war")
                + ": no such file or folder"},
            {"status --jdbc-url " + DB.jdbcUrl() + " --war " + config, "--war " + config
                + ": not a readable WAR or webapp folder"},
            {"status --config " + config + " --app blog --war " + V2, config + " configures no webapp 'blog' (it"
                + " configures shop): check --app"},
            {"status --config " + dir.resolve("none.properties") + " --app shop --war " + V2, "cannot read configuration"
                + " file " + dir.resolve("none.properties") + " (no such file)"},
        };
        for (String[] failing : cases) {
            CliRun run = CliRun.jar(failing[0].split(" "));
            assertEquals(1, run.exit, run.toString());
            assertEquals("", run.out, run.toString());
            assertTrue(run.err.startsWith("status failed: " + failing[1]) && run.err.lines().count() == 1,
                    run.toString());
        }
        CliRun badOption = CliRun.jar("status", "--colour", "blue", "--json");
        assertEquals(1, badOption.exit, badOption.toString());
        assertEquals("{\"error\":\"unknown option '--colour'\"}\n", badOption.out, badOption.toString());
        assertEquals("", badOption.err, badOption.toString());
    }

    /** A webapp that ships its JDBC driver in WEB-INF/lib: the CLI finds it there, with no --classpath. */
    @Test
    @Order(15)
    void aWarBundlingItsOwnDriverNeedsNoClasspath() throws Exception {
        Path war = dir.resolve("shop-with-driver.war");
        try (java.util.zip.ZipFile source = new java.util.zip.ZipFile(V2);
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(war))) {
            for (java.util.zip.ZipEntry entry : java.util.Collections.list(source.entries())) {
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                source.getInputStream(entry).transferTo(out);
            }
            out.putNextEntry(new java.util.zip.ZipEntry("WEB-INF/lib/" + Fixtures.DRIVER.getFileName()));
            Files.copy(Fixtures.DRIVER, out);
        }
        ServerProcess.Result status = Fixtures.cli("status", "--jdbc-url", DB.jdbcUrl(), "--user", DB.user(),
                "--password", DB.password(), "--war", war.toString());
        assertEquals(0, status.exit, status.toString());
        assertTrue(status.output.contains("app: UP"), status.output);
        assertFalse(status.output.contains("org.mariadb") || status.output.contains("Error: 1146"), status.output);
    }

    private static String lastLine(ServerProcess.Result result) {
        String[] lines = result.output.trim().split("\n");
        return lines[lines.length - 1];
    }

    private static int maintenanceRows() throws Exception {
        try (Connection connection = DB.open(); Statement sql = connection.createStatement();
             ResultSet count = sql.executeQuery("SELECT COUNT(*) FROM UPGRADEGATE_MAINTENANCE")) {
            assertTrue(count.next());
            return count.getInt(1);
        }
    }

    private static void lockLiquibase(String granted, String by) throws Exception {
        try (Connection connection = DB.open(); Statement sql = connection.createStatement()) {
            sql.executeUpdate("UPDATE DATABASECHANGELOGLOCK SET LOCKED = 1, LOCKGRANTED = " + granted + ", LOCKEDBY = '"
                    + by + "' WHERE ID = 1");
        }
    }

    private static int liquibaseLocked() throws Exception {
        try (Connection connection = DB.open(); Statement sql = connection.createStatement();
             ResultSet locked = sql.executeQuery("SELECT LOCKED FROM DATABASECHANGELOGLOCK WHERE ID = 1")) {
            assertTrue(locked.next());
            return locked.getInt(1);
        }
    }
}
