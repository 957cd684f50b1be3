package dev.upgradegate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/** {@code --jdbc-url jdbc:postgresql://…}: the demo creates the database, seeds 1.0.0 and gates the shop 2.0.0. */
class TestDemoOnPostgreSql {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase(DatabaseKind.POSTGRESQL);

    @Test
    void createsSeedsGatesAndUpgradesAPostgreSqlDatabase() throws Exception {
        String name = DB.databaseName() + "_demo";
        String url = DB.jdbcUrl().substring(0, DB.jdbcUrl().lastIndexOf('/') + 1) + name;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Demo demo = Demo.start(Options.defaults().withPort(0).withDatabase(url, DB.user(), DB.password()),
                new PrintStream(printed, true, StandardCharsets.UTF_8))) {
            String said = printed.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("Database " + name + " does not exist on "), said);
            assertEquals("UPGRADE_REQUIRED", demo.initialState(), said);

            Http http = new Http("http://localhost:" + demo.port());
            assertEquals(503, http.get("/shop/products").statusCode());
            assertEquals(202, http.upgrade("/shop", demo.token()).statusCode());
            http.await("/shop/install/status", 60, Http.state("UP"));
            assertTrue(http.get("/shop/").body().contains("Shop 2.0.0"));
            assertEquals(200, http.get("/shop/categories").statusCode(), "the shop's own SQL runs on PostgreSQL");
        } finally {
            try (Connection server = DB.open(); Statement statement = server.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
    }
}
