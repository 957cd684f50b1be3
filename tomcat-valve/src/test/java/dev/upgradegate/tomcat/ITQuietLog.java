package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;
import dev.upgradegate.testsupport.TestDriver;
import dev.upgradegate.testsupport.TomcatProcess;

/**
 * What an operator reads in a real Tomcat 11's log at the default level, with both JDBC drivers side by side: four
 * webapps on their own databases, one UP and one NOT_INSTALLED per driver, under a minute of traffic.
 * docs/operations.md (Logging): one line per gated webapp at deploy, one per state change, one summary per upgrade,
 * and nothing else; never a line of the driver's or Liquibase's.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ITQuietLog {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "it-quiet-log-token-0123456789";
    static final long TRAFFIC_SECONDS = 60;
    static final Path WARS = Path.of(ITUpgradeGateDistribution.required("upgradegate.wars"));

    /** A record's first line in JULI's OneLineFormatter: time, level, [thread], source class and method, message. */
    static final Pattern RECORD = Pattern.compile(
            "^\\d{2}-\\w{3}-\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} (\\w+) \\[[^\\]]*\\] (\\S+) (.*)$", Pattern.MULTILINE);

    @TempDir
    static Path temp;

    static TomcatProcess tomcat;
    static Http http;
    static final Map<String, TestDriver> APPS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        tomcat = new TomcatProcess(Path.of(ITUpgradeGateDistribution.required("upgradegate.tomcat.dist")),
                temp.resolve("catalina-base"), temp.resolve("catalina.out"));
        tomcat.addLibrary(Path.of(ITUpgradeGateDistribution.required("upgradegate.valve.jar")));
        List<String> config = new ArrayList<>(List.of("install.token=" + TOKEN, "refresh.seconds=1"));
        for (TestDriver driver : TestDriver.forMySql()) {
            tomcat.addLibrary(WARS.resolve(driver.jarName()));
            for (String kind : new String[] {"up", "new"}) {
                String app = kind + "-" + driver.name().toLowerCase(java.util.Locale.ROOT);
                APPS.put(app, driver);
                String url = driver.url(DB.createDatabase(app.replace('-', '_')));
                config.add("app." + app + ".jdbc.url=" + url);
                config.add("app." + app + ".jdbc.user=" + DB.user());
                config.add("app." + app + ".jdbc.password=" + DB.password());
                tomcat.deploy(new TestBundle("1.0.0").sql("notes", "CREATE TABLE notes (id INT PRIMARY KEY)")
                        .sql("seed", "INSERT INTO notes VALUES (1)").tag("1.0.0")
                        .war(temp.resolve(app + ".war")), app + ".war");
            }
        }
        config.add("");
        tomcat.configureServer(ITUpgradeGateDistribution.VALVE_LINE);
        tomcat.writeConfiguration("upgradegate.properties", String.join("\n", config));
        tomcat.start(Map.of("shop.db.url", DB.jdbcUrl(), "shop.db.user", DB.user(), "shop.db.password",
                DB.password()), Duration.ofSeconds(60));
        http = new Http("http://" + TomcatProcess.HOST + ":" + tomcat.port());
        for (String app : APPS.keySet()) {
            http.await("/" + app + "/install/status", 30, Http.state("NOT_INSTALLED"));
        }
        for (String app : APPS.keySet()) {
            if (app.startsWith("up-")) {
                assertEquals(202, http.upgrade("/" + app, TOKEN).statusCode());
                http.await("/" + app + "/install/status", 60, Http.state("UP"));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (tomcat != null) {
            tomcat.stop(Duration.ofSeconds(30));
            tomcat.keepFiles(Path.of(ITUpgradeGateDistribution.required("upgradegate.valve.jar")).getParent()
                    .resolve("it-quiet-log"));
        }
    }

    @Test
    void aMinuteOfTrafficLogsNothingAndTheDeployLogsOnlyTheDocumentedLines() throws Exception {
        int before = records().size();
        int textBefore = allText().length();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(TRAFFIC_SECONDS);
        int requests = 0;
        while (System.nanoTime() < end) {
            for (String app : APPS.keySet()) {
                int expected = app.startsWith("up-") ? 200 : 503;
                assertEquals(expected, http.get("/" + app + "/").statusCode(), app);
                assertEquals(200, http.get("/" + app + "/install/status").statusCode(), app);
                requests += 2;
            }
            Thread.sleep(100);
        }
        List<String[]> all = records();
        List<String> during = new ArrayList<>();
        for (String[] record : all.subList(before, all.size())) {
            during.add(String.join(" ", record));
        }
        System.out.println(requests + " requests in " + TRAFFIC_SECONDS + " s to " + APPS.keySet() + "; "
                + during.size() + " log records meanwhile; " + all.size() + " records in all");
        assertEquals(List.of(), during, "a minute of traffic, UP and NOT_INSTALLED, with both drivers");
        String text = allText();
        assertEquals("", text.substring(textBefore), "not a line meanwhile, in any form (a driver may print to the"
                + " console directly)");
        for (String noise : new String[] {"org.mariadb", "com.mysql", "Error: 1146", "doesn't exist", "Liquibase",
            "liquibase.", "SQLException"}) {
            assertTrue(!text.contains(noise), "the log holds '" + noise + "':\n" + text);
        }

        List<String> unexpected = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (String[] record : all) {
            String source = record[1];
            String message = record[2];
            if (!source.startsWith("dev.upgradegate.")) {
                if (source.startsWith("org.apache.")) {
                    continue; // Tomcat's own start-up and deploy notes
                }
                unexpected.add(String.join(" ", record));
                continue;
            }
            String kind = documented(message);
            if (kind == null || source.contains(".shaded.")) {
                unexpected.add(String.join(" ", record));
            } else {
                seen.merge(kind, 1, Integer::sum);
            }
        }
        assertEquals(List.of(), unexpected, "only Tomcat's lines and UpgradeGate's documented ones");
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (String app : APPS.keySet()) {
            expected.put(app + ": gated", 1);
            expected.put(app + ": START -> NOT_INSTALLED", 1);
            if (app.startsWith("up-")) {
                expected.put(app + ": upgrade started", 1);
                expected.put(app + ": NOT_INSTALLED -> UPGRADE_RUNNING", 1);
                expected.put(app + ": UPGRADE_RUNNING -> UP", 1);
                expected.put(app + ": upgraded", 1);
            }
        }
        seen.keySet().removeIf(kind -> kind.endsWith(": not gated"));
        assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(seen),
                "the lines of docs/operations.md, each once per webapp");
    }

    /** The kind of an UpgradeGate line docs/operations.md documents, or {@code null} for an undocumented one. */
    private static String documented(String message) {
        Matcher line = Pattern.compile("^([\\w-]+): (gated; database |not gated |upgrade from .* started by "
                + "|upgraded to .* in \\d+ ms \\(\\d+ changesets\\)|(\\w+ -> \\w+) \\()").matcher(message);
        if (!line.find()) {
            return null;
        }
        String app = line.group(1);
        String what = line.group(2);
        return app + ": " + (line.group(3) != null ? line.group(3) : what.startsWith("gated") ? "gated"
                : what.startsWith("not gated") ? "not gated" : what.startsWith("upgrade from") ? "upgrade started"
                : "upgraded");
    }

    /** catalina.out and every file in logs/ but the access log, which grows with the traffic itself. */
    private static String allText() throws Exception {
        StringBuilder text = new StringBuilder(tomcat.outputText());
        for (Map.Entry<Path, String> file : new java.util.TreeMap<>(tomcat.logFiles()).entrySet()) {
            if (!file.getKey().getFileName().toString().startsWith("localhost_access")) {
                text.append(file.getValue());
            }
        }
        return text.toString();
    }

    /** Every log record of catalina.out and logs/, as level, source and message, in order of catalina.out. */
    private static List<String[]> records() throws Exception {
        List<String[]> records = new ArrayList<>();
        Matcher matcher = RECORD.matcher(tomcat.outputText());
        while (matcher.find()) {
            records.add(new String[] {matcher.group(1), matcher.group(2), matcher.group(3)});
        }
        for (Map.Entry<Path, String> file : tomcat.logFiles().entrySet()) {
            if (Files.isRegularFile(file.getKey()) && !file.getKey().getFileName().toString().startsWith("catalina")
                    && !file.getKey().getFileName().toString().startsWith("localhost_access")) {
                Matcher more = RECORD.matcher(file.getValue());
                while (more.find()) {
                    records.add(new String[] {more.group(1), more.group(2), more.group(3)});
                }
            }
        }
        return records;
    }
}
