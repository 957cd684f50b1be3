package dev.upgradegate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TomcatProcess;

/** Unpacks upgradegate-VERSION.zip as a user would, and uses what is in it as the README says. */
class ITDistributionZip {

    static final Path ZIP = Path.of(System.getProperty("upgradegate.dist.zip"));
    static final String VERSION = System.getProperty("upgradegate.version");

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path unpacked;

    private Path unzip() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                Path target = unpacked.resolve(entry.getName()).normalize();
                assertTrue(target.startsWith(unpacked), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                if (entry.getName().contains("/bin/")) {
                    Files.setPosixFilePermissions(target, java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
                }
            }
        }
        return unpacked.resolve("upgradegate-" + VERSION);
    }

    @Test
    void holdsTheJarsTheScriptTheSampleAndTheReadme() throws Exception {
        Path home = unzip();
        for (String file : new String[] {"README.md", "bin/upgradegate", "conf/upgradegate.properties",
                "lib/upgradegate-tomcat-valve-" + VERSION + ".jar", "lib/upgradegate-tomcat9-valve-" + VERSION + ".jar",
                "lib/upgradegate-agent-" + VERSION + ".jar", "docs/recipes.md"}) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
    }

    @Test
    void theValveJarInLibIsTheDropInTheReadmeNames() throws Exception {
        Path home = unzip();
        URL jar = home.resolve("lib/upgradegate-tomcat-valve-" + VERSION + ".jar").toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, null)) {
            // Self-contained: the gate and its libraries are inside, relocated.
            assertTrue(loader.getResource("dev/upgradegate/tomcat/UpgradeGateValve.class") != null);
            assertTrue(loader.getResource("dev/upgradegate/gate/WebappGate.class") != null);
            assertTrue(loader.getResource("dev/upgradegate/shaded/liquibase/Liquibase.class") != null,
                    "Liquibase is inside, relocated");
            assertNull(loader.getResource("liquibase/Liquibase.class"), "and not under its own name");
        }
        String readme = Files.readString(home.resolve("README.md"));
        assertTrue(readme.contains("dev.upgradegate.tomcat.UpgradeGateValve"), "the README names the valve class");
    }

    @Test
    void theSampleConfigurationIsValidAsShipped() throws Exception {
        Path home = unzip();
        GateSettings sample = GateSettings.load(home.resolve("conf/upgradegate.properties"));
        assertNull(sample.problem(), "the sample loads without problems");
        String text = Files.readString(home.resolve("conf/upgradegate.properties"));
        assertTrue(text.contains("#health.path=/upgradegate/health"), text);
    }

    @Test
    void theCliWrapperRunsTheAgentJar() throws Exception {
        Path home = unzip();
        Process process = new ProcessBuilder(home.resolve("bin/upgradegate").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI ends");
        assertTrue(output.contains("status") && output.contains("upgrade"), "the CLI prints its usage: " + output);
        assertTrue(process.exitValue() != 0 || output.contains("usage") || output.contains("Usage"), output);
        assertEquals(-1, output.indexOf("Exception in thread"), output);
    }

    /**
     * The README's install, from the zip alone: its valve jar in a real Tomcat 11's lib/, its sample
     * configuration with the webapp's lines added, then the story: not installed, upgrade through the API,
     * up, and the zip's CLI taking the shop into maintenance and out of it.
     */
    @Test
    void aRealTomcatRunsTheValveFromLibAndTheCliSwitchesMaintenance() throws Exception {
        Path home = unzip();
        Path wars = Path.of(System.getProperty("upgradegate.wars"));
        Path driver = wars.resolve("mysql-connector-j.jar");
        String token = "it-distribution-zip-token-0123456789";
        try (TomcatProcess tomcat = tomcatWithTheZipsValve(home, driver)) {
            String config = Files.readString(home.resolve("conf/upgradegate.properties"), StandardCharsets.UTF_8)
                    + String.join("\n", "", "install.token=" + token, "refresh.seconds=1",
                            "app.shop.jdbc.url=" + DB.jdbcUrl(), "app.shop.jdbc.user=" + DB.user(),
                            "app.shop.jdbc.password=" + DB.password(), "");
            Path configFile = tomcat.writeConfiguration("upgradegate.properties", config);
            tomcat.deploy(wars.resolve("shop-1.0.0.war"), "shop.war");
            tomcat.start(java.util.Map.of("shop.db.url", DB.jdbcUrl(), "shop.db.user", DB.user(),
                    "shop.db.password", DB.password()), java.time.Duration.ofSeconds(60));
            Http http = new Http("http://" + TomcatProcess.HOST + ":" + tomcat.port());
            http.await("/shop/install/status", 30, Http.state("NOT_INSTALLED"));
            assertEquals(503, http.get("/shop/products").statusCode(), tomcat.tail(40));
            assertEquals(202, http.upgrade("/shop", token).statusCode());
            http.await("/shop/install/status", 60, Http.state("UP"));
            assertEquals(200, http.get("/shop/products").statusCode());

            String[] on = {home.resolve("bin/upgradegate").toString(), "maintenance", "on", "--config", configFile.toString(),
                "--app", "shop", "--message", "Back after the move", "--classpath", driver.toString()};
            String output = run(on);
            assertTrue(output.contains("bypass: /shop/install/bypass/"), output);
            java.net.http.HttpResponse<String> down = http.await("/shop/products", 30, r -> r.statusCode() == 503,
                    "Accept", "text/html");
            assertTrue(down.body().contains("Back after the move"), down.body());
            run(home.resolve("bin/upgradegate").toString(), "maintenance", "off", "--config", configFile.toString(),
                    "--app", "shop", "--classpath", driver.toString());
            http.await("/shop/products", 30, r -> r.statusCode() == 200);
            assertTrue(tomcat.stop(java.time.Duration.ofSeconds(30)), "Tomcat stops within 30 s of SIGTERM");
        }
    }

    /**
     * The deploy pipeline of docs/recipes.md, taken from the zip's own docs and run as written by sh, with only its
     * variables set: a real Tomcat 11 runs shop 1.0.0 on its schema; the script deploys 2.0.0, sees that it needs
     * an upgrade, waits for Tomcat to run it, and upgrades; the shop is then UP at 2.0.0.
     */
    @Test
    void theDeployRecipeUpgradesARealTomcatsWebapp() throws Exception {
        Path home = unzip();
        Path wars = Path.of(System.getProperty("upgradegate.wars"));
        Path driver = wars.resolve("mysql-connector-j.jar");
        String token = "it-deploy-recipe-token-0123456789";
        String url = DB.createDatabase("recipe");
        try (TomcatProcess tomcat = tomcatWithTheZipsValve(home, driver)) {
            Path configFile = tomcat.writeConfiguration("upgradegate.properties", String.join("\n",
                    "install.token=" + token, "refresh.seconds=1", "app.shop.jdbc.url=" + url,
                    "app.shop.jdbc.user=" + DB.user(), "app.shop.jdbc.password=" + DB.password(), ""));
            tomcat.deploy(wars.resolve("shop-1.0.0.war"), "shop.war");
            tomcat.start(java.util.Map.of("shop.db.url", url, "shop.db.user", DB.user(),
                    "shop.db.password", DB.password()), java.time.Duration.ofSeconds(60));
            Http http = new Http("http://" + TomcatProcess.HOST + ":" + tomcat.port());
            http.await("/shop/install/status", 30, Http.state("NOT_INSTALLED"));
            assertEquals(202, http.upgrade("/shop", token).statusCode());
            http.await("/shop/install/status", 60, Http.state("UP"));

            Path script = Files.writeString(unpacked.resolve("deploy.sh"), recipe(home, "## A deploy pipeline"));
            ProcessBuilder deploy = new ProcessBuilder("sh", script.toString()).redirectErrorStream(true);
            deploy.environment().putAll(java.util.Map.of("UPGRADEGATE", home.toString(),
                    "CATALINA_BASE", tomcat.base().toString(), "CONF", configFile.toString(), "APP", "shop",
                    "WAR", wars.resolve("shop-2.0.0.war").toString(), "SITE", http.base(),
                    "DRIVER", driver.toString()));
            Process process = deploy.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the recipe ends: " + output);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("upgraded from 1.0.0 to bundle 2.0.0"), output);
            java.net.http.HttpResponse<String> status = http.await("/shop/install/status", 30, Http.state("UP"),
                    "Authorization", "Bearer " + token);
            assertTrue(status.body().contains("\"bundleVersion\":\"2.0.0\""), status.body());
            assertEquals(200, http.get("/shop/products").statusCode());

            // Run again on the deployed release: nothing to do, and it says so.
            process = deploy.start();
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the recipe ends: " + output);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("shop: the database already fits"), output);
        }
    }

    /** The first {@code sh} block under a heading of the zip's docs/recipes.md. */
    private static String recipe(Path home, String heading) throws IOException {
        String doc = Files.readString(home.resolve("docs/recipes.md"), StandardCharsets.UTF_8);
        int section = doc.indexOf(heading);
        assertTrue(section >= 0, "docs/recipes.md has " + heading);
        int start = doc.indexOf("```sh\n", section) + "```sh\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    /** A real Tomcat 11 as the README installs it from the zip: the valve jar and the driver in lib/, one line in server.xml. */
    private TomcatProcess tomcatWithTheZipsValve(Path home, Path driver) throws IOException {
        TomcatProcess tomcat = new TomcatProcess(Path.of(System.getProperty("upgradegate.tomcat.dist")),
                unpacked.resolve("catalina-base"), unpacked.resolve("catalina.out"));
        tomcat.addLibrary(home.resolve("lib/upgradegate-tomcat-valve-" + VERSION + ".jar"));
        tomcat.addLibrary(driver);
        tomcat.configureServer("<Valve className=\"dev.upgradegate.tomcat.UpgradeGateValve\""
                + " configFile=\"${catalina.base}/conf/upgradegate.properties\"/>");
        return tomcat;
    }

    /** Runs the zip's CLI wrapper; fails unless it exits 0 within a minute. */
    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI ends");
            assertEquals(0, process.exitValue(), output);
            return output;
        } finally {
            process.destroyForcibly();
        }
    }
}
