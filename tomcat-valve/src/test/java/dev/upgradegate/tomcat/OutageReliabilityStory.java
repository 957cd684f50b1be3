package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.DatabaseKind;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Guarantee 4: the database goes away, through a TCP proxy that resets every connection, while a webapp is
 * UP and while its upgrade runs. Nothing but the gate's 503 may answer, and everything comes back by itself.
 * Told once per kind of database by a subclass that registers it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
abstract class OutageReliabilityStory {

    static final String TOKEN = "outage-install-token-0123456789";
    /**
     * The drivers' own words for a reset connection: MySQL Connector/J's, MariaDB Connector/J's, or the PostgreSQL
     * driver's.
     */
    static final Pattern DRIVER_REASON = Pattern.compile("::slow-\\d+::reliability failed: (Communications link failure"
            + "|\\(conn=\\d+\\) Socket error|An I/O error occurred while sending to the backend)");

    /** Static: JUnit gives an instance field a new folder for every test method, and Tomcat lives in this one. */
    @TempDir
    static Path base;

    final TestDatabase db;
    EmbeddedTomcat tomcat;
    Http http;
    LogCapture log;

    OutageReliabilityStory(TestDatabase db) {
        this.db = db;
    }

    @BeforeAll
    void startTomcat() throws Exception {
        log = new LogCapture();
        Path config = GateConfig.write(base, TOKEN,
                "app.app.datasource=jdbc/ShopDB");
        tomcat = new EmbeddedTomcat(base, config, db);
        http = tomcat.http;
    }

    @AfterAll
    void stopTomcat() throws Exception {
        db.proxy().restore();
        if (tomcat != null) {
            tomcat.close();
        }
        log.close();
    }

    /** A bundle for a database of {@code kind} whose {@code slow} changesets each take {@code seconds}. */
    static TestBundle slowBundle(DatabaseKind kind, int slow, double seconds) {
        String sleep = kind == DatabaseKind.POSTGRESQL ? "SELECT pg_sleep(" : "SELECT SLEEP(";
        TestBundle bundle = new TestBundle("1.0.0").sql("events", "CREATE TABLE events (changeset VARCHAR(40) NOT NULL)");
        for (int i = 1; i <= slow; i++) {
            bundle.sql("slow-" + i, "INSERT INTO events VALUES ('slow-" + i + "'); " + sleep + seconds + ")");
        }
        return bundle.tag("1.0.0");
    }

    @Test
    void outageDuringAnUpgradeFailsItCleanlyAndAResumeCompletes() throws Exception {
        TestBundle bundle = slowBundle(db.kind(), 15, 0.3);
        tomcat.deploy("/app", bundle.directory(base.resolve("app")).toString(), db.proxiedJdbcUrl());
        http.await("/app/install/status", 30, Http.state("NOT_INSTALLED"));
        assertEquals(202, http.upgrade("/app", TOKEN).statusCode());
        DatabaseChecks.awaitExecuted(db.jdbcUrl(), bundle.ids(), 4, 60);
        // Into the fifth changeset's 0.3 s sleep: the fourth's row has just been written, and a cut between two
        // changesets (Liquibase's own bookkeeping) fails the upgrade without a changeset to name.
        Thread.sleep(120);
        db.proxy().cut();
        HttpResponse<String> during;
        try {
            during = http.await("/app/install/status", 30, Http.state("DB_UNAVAILABLE"), "Authorization",
                    "Bearer " + TOKEN);
        } finally {
            db.proxy().restore();
        }
        assertTrue(during.body().contains("\"result\":\"FAILED\""), "the upgrade stopped: " + during.body());
        HttpResponse<String> after = http.await("/app/install/status", 30, Http.state("UPGRADE_FAILED"),
                "Authorization", "Bearer " + TOKEN);
        assertTrue(DRIVER_REASON.matcher(after.body()).find(), "the status names the changeset and the driver's"
                + " reason: " + after.body());
        assertFalse(after.body().contains("\tat ") || after.body().contains("Exception:"), after.body());
        assertEquals(503, http.get("/app/index.html").statusCode(), "still gated");

        assertEquals(202, http.upgrade("/app", TOKEN).statusCode(), "the administrator resumes");
        http.await("/app/install/status", 60, Http.state("UP"));
        DatabaseChecks.assertRanOnce(db.jdbcUrl(), bundle.ids());
        assertEquals(15, DatabaseChecks.count(db.jdbcUrl(), "SELECT COUNT(DISTINCT changeset) FROM events"));
        assertEquals(15, DatabaseChecks.count(db.jdbcUrl(), "SELECT COUNT(*) FROM events"));

        outageWhileUpAnswersOnlyTheGatesPageAndRecoversByItself();
    }

    /** Runs on the webapp the upgrade above brought UP. */
    void outageWhileUpAnswersOnlyTheGatesPageAndRecoversByItself() throws Exception {
        assertEquals(200, http.get("/app/index.html").statusCode());
        String[][] requests = {{"GET", "/app/index.html", "text/html"}, {"GET", "/app/", "application/json"},
                {"POST", "/app/anything", "*/*"}, {"HEAD", "/app/index.html", "text/html"},
                {"GET", "/app/install/status", "application/json"}, {"GET", "/app/missing/page", "text/html"}};
        List<String> answers = new ArrayList<>();
        db.proxy().cut();
        try {
            // Requests within refresh.seconds of the cut still see the cached UP; after it, only the gate answers.
            http.await("/app/index.html", GateConfig.REFRESH_SECONDS + 3, response -> response.statusCode() == 503);
            for (int round = 0; round < 50; round++) {
                for (String[] request : requests) {
                    HttpResponse<String> response = http.send(request[0], request[1], "Accept", request[2]);
                    answers.add(request[0] + " " + request[1] + " " + response.statusCode());
                    if (request[1].endsWith("/status")) {
                        assertEquals(200, response.statusCode());
                        assertEquals("{\"state\":\"DB_UNAVAILABLE\"}", response.body());
                        continue;
                    }
                    assertEquals(503, response.statusCode(), String.join("\n", answers));
                    assertEquals(String.valueOf(60), response.headers().firstValue("Retry-After").orElse(""));
                    if (!"HEAD".equals(request[0])) {
                        assertTrue(response.body().contains("Err 6") || response.body().contains("\"state\":\"DB_UNAVAILABLE\""),
                                response.body());
                        assertFalse(response.body().contains(TestBundle.CONTENT) || response.body().contains("\tat ")
                                || response.body().contains("SQL"), response.body());
                    }
                }
            }
        } finally {
            db.proxy().restore();
        }
        http.await("/app/index.html", 30, response -> response.statusCode() == 200);
        assertEquals("{\"state\":\"UP\"}", http.get("/app/install/status").body());
        assertEquals(300, answers.size());
        assertFalse(log.any(TOKEN));
    }
}
