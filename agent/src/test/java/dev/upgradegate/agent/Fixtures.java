package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.ShopWithOwnLibraries;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TestDriver;

/** What the agent's tests share: the built jar, the WARs, the distributions, and the shop's story. */
final class Fixtures {

    static final String TOKEN = "agent-test-install-token-0123456789";

    static final Path AGENT = Path.of(System.getProperty("upgradegate.agent.jar"));
    static final Path WARS = Path.of(System.getProperty("upgradegate.wars"));
    /** The JDBC driver the tests run with (see TestDriver), as a container's lib/ or the CLI's --classpath gets it. */
    static final Path DRIVER = WARS.resolve(TestDriver.selected().jarName());

    private Fixtures() {
    }

    /** The JDBC driver of {@code db}'s server, as a container's lib/ or the CLI's --classpath gets it. */
    static Path driver(TestDatabase db) {
        return WARS.resolve(db.driver().jarName());
    }

    static Path dist(String property) {
        Path dist = Path.of(System.getProperty(property));
        assertTrue(Files.isDirectory(dist), "the build unpacks the distribution into " + dist);
        return dist;
    }

    /** {@code java -jar upgradegate-agent.jar ARGS}, as a deploy script runs it. */
    static ServerProcess.Result cli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(ServerProcess.JAVA_HOME, "bin", "java").toString(),
                "-jar", AGENT.toString()));
        command.addAll(Arrays.asList(args));
        return ServerProcess.run(command, 120);
    }

    /** Brings the database to the shop's schema 1.0.0 with the CLI, as an earlier release left it. */
    static void schemaAt100(TestDatabase db) throws Exception {
        schemaAt100(db, db.jdbcUrl());
    }

    /** The same for another database {@code url} on {@code db}'s server. */
    static void schemaAt100(TestDatabase db, String url) throws Exception {
        ServerProcess.Result result = cli("upgrade", "--jdbc-url", url, "--user", db.user(), "--password",
                db.password(), "--war", WARS.resolve("shop-1.0.0.war").toString(), "--classpath", driver(db).toString());
        assertEquals(0, result.exit, result.toString());
    }

    /** The same properties file the valve reads. */
    static Path config(Path dir, String... lines) throws IOException {
        Path file = dir.resolve("upgradegate.properties");
        List<String> all = new ArrayList<>(List.of("install.token=" + TOKEN, "refresh.seconds=1"));
        all.addAll(Arrays.asList(lines));
        Files.write(file, all, StandardCharsets.UTF_8);
        return file;
    }

    /** The shop's context.xml takes its database from system properties; Tomcat sets them from catalina.properties. */
    static void shopDatabase(Path tomcatBase, TestDatabase db) throws IOException {
        shopDatabase(tomcatBase, db, db.jdbcUrl());
    }

    /** The same for another database {@code url} on {@code db}'s server, reached with that server's driver. */
    static void shopDatabase(Path tomcatBase, TestDatabase db, String url) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("shop.db.url", url);
        properties.setProperty("shop.db.driver", db.driver().className());
        properties.setProperty("shop.db.user", db.user());
        properties.setProperty("shop.db.password", db.password());
        StringWriter text = new StringWriter();
        properties.store(text, "the shop's database");
        Files.writeString(tomcatBase.resolve("conf/catalina.properties"), "\n" + text, StandardOpenOption.APPEND);
    }

    /**
     * Any webapp whose context.xml reads {@code ${<name>.db.url}}, {@code .user} and {@code .password} (the notes'
     * {@code notes}, a {@code TestBundle.database(name)}): Tomcat sets them from catalina.properties.
     */
    static void webappDatabase(Path tomcatBase, String name, String url, String user, String password)
            throws IOException {
        Properties properties = new Properties();
        properties.setProperty(name + ".db.url", url);
        properties.setProperty(name + ".db.driver", TestDriver.selected().className());
        properties.setProperty(name + ".db.user", user);
        properties.setProperty(name + ".db.password", password == null ? "" : password);
        StringWriter text = new StringWriter();
        properties.store(text, name + "'s database");
        Files.writeString(tomcatBase.resolve("conf/catalina.properties"), "\n" + text, StandardOpenOption.APPEND);
    }

    /** As a hosting provider installs the valve: its jar in lib/ and the one Valve line inside {@code <Host>}. */
    static void installValve(Path tomcatBase, String valveJarProperty) throws IOException {
        Files.copy(Path.of(System.getProperty(valveJarProperty)), tomcatBase.resolve("lib/upgradegate-valve.jar"));
        Path serverXml = tomcatBase.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml).replaceFirst("(<Host [^>]*>)",
                "$1\n        <Valve className=\"dev.upgradegate.tomcat.UpgradeGateValve\""
                        + " configFile=\"\\${catalina.base}/conf/upgradegate.properties\"/>"));
    }

    /** The shop 2.0.0 WAR (javax or jakarta) with its own Liquibase and Byte Buddy: see ShopWithOwnLibraries. */
    static Path warWithOwnLibraries(String war, Path into) throws IOException {
        return ShopWithOwnLibraries.war(WARS.resolve(war), WARS.resolve("liquibase-core.jar"),
                WARS.resolve("byte-buddy.jar"), into);
    }

    /** The whole story a user lives: mismatch → 503 → upgrade through the API → 200. */
    /**
     * A Tomcat distribution with only {@code -javaagent} added, serving {@code war} on a 1.0.0 schema: the
     * whole story, and the agent's start in the log.
     */
    static void agentStory(TestDatabase db, String distProperty, String war, Path dir) throws Exception {
        schemaAt100(db);
        Path home = dist(distProperty);
        int port = ServerProcess.freePort();
        Path base = ServerProcess.tomcatBase(home, dir.resolve("base"), port);
        Files.copy(driver(db), base.resolve("lib").resolve(driver(db).getFileName()));
        Files.copy(WARS.resolve(war), base.resolve("webapps/shop.war"));
        shopDatabase(base, db);
        Path config = config(base.resolve("conf"), "app.shop.datasource=jdbc/ShopDB");
        try (ServerProcess tomcat = ServerProcess.tomcat(home, base, "-javaagent:" + AGENT + "=config=" + config, port)) {
            storyFromMismatchToUp(new Http("http://127.0.0.1:" + port));
            assertTrue(tomcat.output().contains("UpgradeGate agent started"), tomcat.output());
        }
    }

    /**
     * A Tomcat distribution as a hosting provider sets it up: the valve jar in lib/ and one Valve line in
     * server.xml, serving {@code war} bundled with its own Liquibase and Byte Buddy.
     */
    static void valveStory(TestDatabase db, String distProperty, String valveJarProperty, String war, Path dir)
            throws Exception {
        String url = db.createDatabase("valve");
        Path home = dist(distProperty);
        int port = ServerProcess.freePort();
        Path base = ServerProcess.tomcatBase(home, dir.resolve("valve-base"), port);
        Files.copy(driver(db), base.resolve("lib").resolve(driver(db).getFileName()));
        Files.copy(Path.of(System.getProperty(valveJarProperty)), base.resolve("lib/upgradegate-valve.jar"));
        warWithOwnLibraries(war, base.resolve("webapps"));
        schemaAt100(db, url);
        shopDatabase(base, db, url);
        config(base.resolve("conf"), "app.shop.datasource=jdbc/ShopDB");
        Path serverXml = base.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml).replaceFirst("(<Host [^>]*>)",
                "$1\n        <Valve className=\"dev.upgradegate.tomcat.UpgradeGateValve\""
                        + " configFile=\"\\${catalina.base}/conf/upgradegate.properties\"/>"));
        try (ServerProcess tomcat = ServerProcess.tomcat(home, base, "", port)) {
            Http http = new Http("http://127.0.0.1:" + port);
            storyFromMismatchToUp(http);
            ShopWithOwnLibraries.assertStillWork(http, "4.29.2", true);
        }
    }

    static void storyFromMismatchToUp(Http http) {
        HttpResponse<String> page = http.await("/shop/", 60, response -> response.statusCode() == 503,
                "Accept", "text/html");
        assertTrue(page.body().contains("<title>Down for Maintenance</title>"), page.body());
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElse(""));
        assertEquals(503, http.get("/shop/products").statusCode());
        assertEquals("{\"state\":\"UPGRADE_REQUIRED\"}", http.get("/shop/install/status").body());
        assertEquals(401, http.upgrade("/shop", "wrong-token-wrong-token").statusCode());

        HttpResponse<String> started = http.upgrade("/shop", TOKEN);
        assertEquals(202, started.statusCode(), started.body());
        http.await("/shop/install/status", 60, Http.state("UP"));

        HttpResponse<String> home = http.get("/shop/");
        assertEquals(200, home.statusCode(), home.body());
        assertTrue(home.body().contains("Shop 2.0.0"), home.body());
        assertEquals(200, http.get("/shop/categories").statusCode());
        assertEquals(200, http.get("/shop/static/style.css").statusCode());
    }
}
