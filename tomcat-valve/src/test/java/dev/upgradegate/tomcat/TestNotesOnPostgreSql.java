package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * A smoke test of the Flyway webapp (the notes) on PostgreSQL in embedded Tomcat 11 with the valve, configured only:
 * its pool given org.postgresql.Driver and a jdbc:postgresql: URL. Once in the connection's schema, once in a
 * schema of its own named by flyway.schemas.
 */
class TestNotesOnPostgreSql {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    static final String TOKEN = "test-install-token-0123456789";

    @TempDir
    static Path base;

    static EmbeddedTomcat tomcat;
    static Http http;

    @BeforeAll
    static void startTomcat() throws Exception {
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN,
                "refresh.seconds=1",
                "datasource=jdbc/NotesDB",
                "app.kept.flyway.schemas=kept",
                ""));
        tomcat = new EmbeddedTomcat(base, config, DB);
        http = tomcat.http;
    }

    @AfterAll
    static void stopTomcat() throws Exception {
        if (tomcat != null) {
            tomcat.close();
        }
    }

    @Test
    void theNotesInstallAndUpgradeInTheConnectionsSchema() throws Exception {
        installThenUpgrade("/notes", DB.createDatabase("notes"), "public");
    }

    @Test
    void theNotesInstallAndUpgradeInTheSchemaFlywaySchemasNames() throws Exception {
        installThenUpgrade("/kept", DB.createDatabase("kept"), "kept");
    }

    private static void installThenUpgrade(String app, String url, String schema) throws Exception {
        tomcat.deploy(app, EmbeddedTomcat.WARS.resolve("notes-1.0.0.war"), "notes", url);
        String fresh = awaitState(app, "NOT_INSTALLED").body();
        assertTrue(fresh.contains("\"file\":\"V1__create_note.sql\""), fresh);
        assertEquals(503, http.get(app + "/").statusCode());
        upgradeToUp(app);
        assertEquals(2, count(url, "SELECT COUNT(*) FROM " + schema + ".note"));
        if (schema.equals("public")) {
            // The notes read their table in the connection's schema: in another one only with a currentSchema URL.
            assertTrue(http.get(app + "/").body().contains("1: Buy milk"), "the notes' own SQL on PostgreSQL");
        }

        tomcat.undeploy(app);
        tomcat.deploy(app, EmbeddedTomcat.WARS.resolve("notes-1.1.0.war"), "notes", url);
        String behind = awaitState(app, "UPGRADE_REQUIRED").body();
        assertTrue(behind.contains("\"file\":\"V3__add_note_tags.sql\""), behind);
        upgradeToUp(app);
        assertEquals(1, count(url, "SELECT COUNT(*) FROM " + schema + ".note WHERE tags = 'home'"));
        assertEquals(3, count(url, "SELECT COUNT(*) FROM " + schema + ".flyway_schema_history"
                + " WHERE success AND version IS NOT NULL AND type <> 'BASELINE'"));
    }

    private static HttpResponse<String> awaitState(String app, String state) {
        return http.await(app + "/install/status", 60, Http.state(state), "Authorization", "Bearer " + TOKEN);
    }

    private static void upgradeToUp(String app) {
        HttpResponse<String> started = http.upgrade(app, TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        awaitState(app, "UP");
    }

    private static int count(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, DB.user(), DB.password());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getInt(1);
        }
    }
}
