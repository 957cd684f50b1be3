package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The agent in a real Jetty 12 distribution (ee10), given with {@code -javaagent} only. The shop is unchanged:
 * its {@code jdbc/ShopDB} comes from a Jetty context XML, as an operator would declare it, and the gate finds
 * it there through {@code app.shop.datasource} like on Tomcat. The agent takes the path from Jetty's own
 * arguments (ambiguous URIs are gated too), honours the bypass cookie, and pins no redeployed webapp.
 */
class ITAgentJetty12 {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    private static final String JAVA = Path.of(ServerProcess.JAVA_HOME, "bin", "java").toString();
    /** The leak test's webapps, each deployed once and then redeployed this many times. */
    private static final int WEBAPPS = 10;
    private static final int REDEPLOYS = 10;
    /** Jetty's webapp class loaders (ee10's subclasses {@code org.eclipse.jetty.ee.webapp}'s), in a class histogram. */
    private static final Pattern LOADER = Pattern.compile("\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+org\\.eclipse\\.jetty\\.[\\w.]*WebAppClassLoader");

    @TempDir
    Path dir;

    @Test
    void javaagentGatesTheShopUntilItIsUpgraded() throws Exception {
        Fixtures.schemaAt100(DB);
        Path home = Fixtures.dist("upgradegate.jetty.dist");
        Path base = jettyBase(home, "http,ext,ee10-deploy,ee10-jndi,ee10-plus");
        Files.copy(Fixtures.WARS.resolve("shop-2.0.0.war"), base.resolve("webapps/shop.war"));
        Path extra = plainFilter(home, Files.createDirectories(dir.resolve("extra")));
        Files.writeString(base.resolve("webapps/shop.xml"), shopContext("ee10", base.resolve("webapps/shop.war"),
                DB.jdbcUrl(), withFilter(extra, "shop.PlainFilter", "jakarta")), StandardCharsets.UTF_8);
        Path config = Fixtures.config(Files.createDirectories(base.resolve("etc")), "app.shop.datasource=jdbc/ShopDB");

        // LEGACY lets ambiguous URIs such as /shop/a%2Fb/x through, where Jetty's getServletPath() then throws.
        try (ServerProcess jetty = jetty(home, base, config, "jetty.httpConfig.uriCompliance=LEGACY")) {
            Http http = new Http("http://127.0.0.1:" + jetty.port);
            // The gate opened and checked as the context started: the first request meets the real state.
            assertEquals("{\"state\":\"UPGRADE_REQUIRED\"}", http.get("/shop/install/status").body());
            // A plain jakarta.servlet.Filter (no HttpFilter) that answers by itself is gated all the same.
            assertEquals(503, http.get("/shop/plain").statusCode());
            HttpResponse<String> ambiguous = http.get("/shop/a%2Fb/x", "Accept", "text/html");
            assertEquals(503, ambiguous.statusCode(), ambiguous.body());
            assertTrue(ambiguous.body().contains("<title>Down for Maintenance</title>"), ambiguous.body());
            assertTrue(ambiguous.body().contains("UPGRADE_REQUIRED"), "the real state, not a fault: " + ambiguous.body());
            Fixtures.storyFromMismatchToUp(http);
            assertEquals("answered by a plain filter", http.get("/shop/plain").body());
            bypassCookieLetsItsBearerIn(http);
            String log = jetty.output();
            assertTrue(log.contains("UpgradeGate agent started"), log);
            // Jetty's per-dispatch entry, before any filter, is the only place gated: no HttpServlet advice.
            assertTrue(log.contains("instrumented org.eclipse.jetty.ee10.servlet.ServletHandler$MappedServlet"), log);
            assertTrue(log.contains("instrumented org.eclipse.jetty.ee10.servlet.ServletContextHandler"), log);
            assertFalse(log.contains("instrumented jakarta.servlet"), log);
            assertFalse(log.contains("SEVERE"), log);
        }
    }

    /** Manual maintenance through the API, then the bypass URL: its cookie passes, a request without it does not. */
    private static void bypassCookieLetsItsBearerIn(Http http) {
        HttpResponse<String> on = http.sendBody("POST", "/shop/install/maintenance", "message=Back+soon&minutes=10",
                "Authorization", "Bearer " + Fixtures.TOKEN, "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, on.statusCode(), on.body());
        Matcher bypass = Pattern.compile("\"bypass\":\"([^\"]+)\"").matcher(on.body());
        assertTrue(bypass.find(), on.body());
        assertEquals(503, http.get("/shop/").statusCode());

        HttpResponse<String> issued = http.get(bypass.group(1));
        String setCookie = issued.headers().firstValue("Set-Cookie").orElse("");
        assertTrue(setCookie.startsWith("upgradegate_bypass="), issued.statusCode() + " " + issued.headers());
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        HttpResponse<String> admitted = http.get("/shop/", "Cookie", cookie);
        assertEquals(200, admitted.statusCode(), admitted.body());
        assertTrue(admitted.body().contains("Shop 2.0.0"), admitted.body());
        assertEquals(503, http.get("/shop/").statusCode(), "without the cookie");

        assertEquals(200, http.send("DELETE", "/shop/install/maintenance",
                "Authorization", "Bearer " + Fixtures.TOKEN).statusCode());
        assertEquals(200, http.get("/shop/").statusCode());
    }

    /**
     * Jetty's ee8 environment has no entry of its own that the agent hooks: the javax shop is gated at its first
     * {@code HttpServlet}, or at its first {@code HttpFilter} where a filter comes first, with the servlet API's
     * path, and its gate opens on the first request.
     */
    @Test
    void javaxShopOnEe8IsGatedAtItsFirstServlet() throws Exception {
        String url = DB.createDatabase("jetty_ee8");
        Fixtures.schemaAt100(DB, url);
        Path home = Fixtures.dist("upgradegate.jetty.dist");
        Path base = jettyBase(home, "http,ext,ee8-deploy,ee8-jndi,ee8-plus");
        Files.copy(Fixtures.WARS.resolve("shop-2.0.0-javax.war"), base.resolve("webapps/shop.war"));
        Path filter = compiled(home, "jetty-servlet-api-4.0", dir.resolve("ee8-filter"), Map.of("FilterAnswers",
                String.join("\n",
                        "public class FilterAnswers extends javax.servlet.http.HttpFilter {",
                        "  protected void doFilter(javax.servlet.http.HttpServletRequest request,",
                        "      javax.servlet.http.HttpServletResponse response, javax.servlet.FilterChain chain)",
                        "      throws java.io.IOException, javax.servlet.ServletException {",
                        "    if (request.getRequestURI().endsWith(\"/filtered\")) {",
                        "      response.getWriter().print(\"answered by an HttpFilter\");",
                        "    } else {",
                        "      chain.doFilter(request, response);",
                        "    }",
                        "  }",
                        "}")));
        Files.writeString(base.resolve("webapps/shop.xml"), shopContext("ee8", base.resolve("webapps/shop.war"), url,
                withFilter(filter, "shop.FilterAnswers", "javax")), StandardCharsets.UTF_8);
        Path config = Fixtures.config(Files.createDirectories(base.resolve("etc")), "app.shop.datasource=jdbc/ShopDB");

        try (ServerProcess jetty = jetty(home, base, config, "jetty.httpConfig.uriCompliance=LEGACY")) {
            Http http = new Http("http://127.0.0.1:" + jetty.port);
            // STARTING (503) until the first check, begun by the first request, is done.
            http.await("/shop/install/status", 60, Http.state("UPGRADE_REQUIRED"));
            HttpResponse<String> ambiguous = http.get("/shop/a%2Fb/x", "Accept", "text/html");
            assertEquals(503, ambiguous.statusCode(), ambiguous.body());
            assertTrue(ambiguous.body().contains("<title>Down for Maintenance</title>"), ambiguous.body());
            assertTrue(ambiguous.body().contains("UPGRADE_REQUIRED"), "the real state, not a fault: " + ambiguous.body());
            // An HttpFilter that answers by itself, never calling the chain: the agent gates it at the filter.
            HttpResponse<String> filtered = http.get("/shop/filtered");
            assertEquals(503, filtered.statusCode(), filtered.body());
            assertFalse(filtered.body().contains("answered by an HttpFilter"), filtered.body());
            Fixtures.storyFromMismatchToUp(http);
            assertEquals("answered by an HttpFilter", http.get("/shop/filtered").body());
            String log = jetty.output();
            assertTrue(log.contains("instrumented javax.servlet.http.HttpServlet"), log);
            assertTrue(log.contains("instrumented javax.servlet.http.HttpFilter"), log);
            assertFalse(log.contains("SEVERE"), log);
        }
    }

    /**
     * The agent acts once per request, at its REQUEST dispatch (issue 18). While the webapp is gated, a request to a
     * servlet that would forward, include or dispatch asynchronously is answered with one 503, and neither that
     * servlet nor its target runs. On an ignored path the request passes, and its forward, include and async
     * dispatch to a path that is not ignored pass too: the gate judged the request, not each dispatch.
     */
    @Test
    void forwardsIncludesAndAsyncDispatchesAreJudgedOnceAtTheirRequest() throws Exception {
        Path home = Fixtures.dist("upgradegate.jetty.dist");
        Path base = jettyBase(home, "http,ext,ee10-deploy");
        Path bundle = new TestBundle("1.0.0").sql("t", "CREATE TABLE t (id INT PRIMARY KEY)").tag("1.0.0")
                .directory(dir.resolve("bundle"));
        String url = DB.createDatabase("jetty_dispatch");
        Path classes = compiled(home, "jakarta.servlet-api-6.0", dir.resolve("dispatch"), Map.of(
                "Target", servlet("Target", "System.out.println(\"TARGET RAN \" + request.getDispatcherType());"
                        + " response.getWriter().print(\"target ran\");"),
                "Forward", servlet("Forward", "request.getRequestDispatcher(\"/target\").forward(request, response);"),
                "Include", servlet("Include", "response.getWriter().print(\"included: \");"
                        + " request.getRequestDispatcher(\"/target\").include(request, response);"),
                "Async", servlet("Async", "request.startAsync().dispatch(\"/target\");")));
        List<String> context = new ArrayList<>(List.of(
                "<?xml version=\"1.0\"?>",
                "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"https://jetty.org/configure_10_0.dtd\">",
                "<Configure class=\"org.eclipse.jetty.ee10.webapp.WebAppContext\">",
                "  <Set name=\"contextPath\">/app</Set>",
                "  <Set name=\"war\">" + xml(bundle.toString()) + "</Set>",
                "  <Set name=\"extraClasspath\">" + xml(classes.toString()) + "</Set>",
                "  <Call name=\"addServlet\"><Arg type=\"String\">shop.Target</Arg><Arg type=\"String\">/target</Arg></Call>"));
        for (String kind : List.of("Forward", "Include", "Async")) {
            for (String path : List.of("/" + kind.toLowerCase(), "/open/" + kind.toLowerCase())) {
                context.add("  <Call name=\"addServlet\"><Arg type=\"String\">shop." + kind + "</Arg><Arg type=\"String\">"
                        + path + "</Arg><Set name=\"asyncSupported\">true</Set></Call>");
            }
        }
        context.addAll(List.of("</Configure>", ""));
        Files.write(base.resolve("webapps/app.xml"), context, StandardCharsets.UTF_8);
        Path config = Fixtures.config(Files.createDirectories(base.resolve("etc")), "app.app.jdbc.url=" + url,
                "app.app.jdbc.user=" + DB.user(), "app.app.jdbc.password=" + DB.password(), "app.app.ignore=/open/*");

        try (ServerProcess jetty = jetty(home, base, config)) {
            Http http = new Http("http://127.0.0.1:" + jetty.port);
            http.await("/app/install/status", 60, Http.state("NOT_INSTALLED"));
            for (String kind : List.of("forward", "include", "async")) {
                HttpResponse<String> gated = http.get("/app/" + kind, "Accept", "text/html");
                assertEquals(503, gated.statusCode(), kind + ": " + gated.body());
                assertEquals(1, gated.body().split("<title>Down for Maintenance</title>", -1).length - 1,
                        kind + ": one maintenance page: " + gated.body());
                assertFalse(gated.body().contains("target ran"), kind + ": " + gated.body());

                HttpResponse<String> open = http.get("/app/open/" + kind);
                assertEquals(200, open.statusCode(), kind + " from an ignored path: " + open.body());
                assertEquals(kind.equals("include") ? "included: target ran" : "target ran", open.body(), kind);
            }
            String log = jetty.output();
            assertEquals(List.of("TARGET RAN FORWARD", "TARGET RAN INCLUDE", "TARGET RAN ASYNC"),
                    log.lines().filter(line -> line.startsWith("TARGET RAN")).collect(java.util.stream.Collectors.toList()),
                    "the target ran for the ignored paths' dispatches only: " + log);
            assertFalse(log.contains("SEVERE"), log);
        }
    }

    /** A servlet of package {@code shop} whose GET runs {@code body} with {@code request} and {@code response}. */
    private static String servlet(String name, String body) {
        return String.join("\n",
                "public class " + name + " extends jakarta.servlet.http.HttpServlet {",
                "  protected void doGet(jakarta.servlet.http.HttpServletRequest request,",
                "      jakarta.servlet.http.HttpServletResponse response) throws java.io.IOException, jakarta.servlet.ServletException {",
                "    " + body,
                "  }",
                "}");
    }

    /**
     * The agent keeps no webapp's class loader: ten gated webapps, each redeployed ten times by Jetty's deployer
     * (its scanner at 1 s, the context XMLs touched), 110 deploys in all, leave only the ten deployed loaders.
     */
    @Test
    void redeploysPinNoClassLoader() throws Exception {
        Path home = Fixtures.dist("upgradegate.jetty.dist");
        Path base = jettyBase(home, "http,ext,ee10-deploy");
        Path bundle = new TestBundle("1.0.0").sql("t", "CREATE TABLE t (id INT PRIMARY KEY)").tag("1.0.0")
                .directory(dir.resolve("bundle"));
        String url = DB.createDatabase("jetty_leak");
        List<String> settings = new ArrayList<>();
        List<Path> contexts = new ArrayList<>();
        for (int i = 0; i < WEBAPPS; i++) {
            settings.addAll(List.of("app.app" + i + ".jdbc.url=" + url, "app.app" + i + ".jdbc.user=" + DB.user(),
                    "app.app" + i + ".jdbc.password=" + DB.password()));
            contexts.add(Files.writeString(base.resolve("webapps/app" + i + ".xml"), String.join("\n",
                    "<?xml version=\"1.0\"?>",
                    "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"https://jetty.org/configure_10_0.dtd\">",
                    "<Configure class=\"org.eclipse.jetty.ee10.webapp.WebAppContext\">",
                    "  <Set name=\"contextPath\">/app" + i + "</Set>",
                    "  <Set name=\"war\">" + xml(bundle.toString()) + "</Set>",
                    "</Configure>", ""), StandardCharsets.UTF_8));
        }
        Path config = Fixtures.config(Files.createDirectories(base.resolve("etc")), settings.toArray(new String[0]));

        long started = System.nanoTime();
        try (ServerProcess jetty = jetty(home, base, config, "jetty.deploy.scanInterval=1")) {
            Http http = new Http("http://127.0.0.1:" + jetty.port);
            for (int round = 0; round <= REDEPLOYS; round++) {
                awaitDeploys(jetty, WEBAPPS * (round + 1));
                for (int i = 0; i < WEBAPPS; i++) {
                    // NOT_INSTALLED: the gate of this very deploy holds its webapp, and must let it go.
                    assertEquals(503, http.get("/app" + i + "/").statusCode(), "app" + i + ", round " + round);
                }
                if (round < REDEPLOYS) {
                    FileTime now = FileTime.fromMillis(System.currentTimeMillis());
                    for (Path context : contexts) {
                        Files.setLastModifiedTime(context, now);
                    }
                }
            }
            long deployed = System.nanoTime();
            long alive = awaitLiveLoaders(jetty, WEBAPPS, 30);
            System.out.printf("Jetty: %d deploys in %d ms; %d webapp class loaders alive after them (%d deployed)%n",
                    WEBAPPS * (REDEPLOYS + 1), (deployed - started) / 1_000_000, alive, WEBAPPS);
            assertEquals(WEBAPPS, alive, "webapp class loaders alive after " + WEBAPPS * REDEPLOYS + " redeploys");
            assertFalse(jetty.output().contains("SEVERE"), jetty.output());
        }
    }

    private static void awaitDeploys(ServerProcess jetty, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (startedContexts(jetty.output()) < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(count + " deploys expected, " + startedContexts(jetty.output())
                        + " seen:\n" + jetty.output());
            }
            ServerProcess.sleep(100);
        }
    }

    private static long startedContexts(String log) {
        return log.lines().filter(line -> line.contains("Started oeje10w.WebAppContext@")).count();
    }

    /** Live instances of Jetty's webapp class loader, counted by the JVM after a full collection. */
    private static long awaitLiveLoaders(ServerProcess jetty, long expected, int seconds) throws Exception {
        String jcmd = Path.of(ServerProcess.JAVA_HOME, "bin", "jcmd").toString();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            ServerProcess.Result histogram = ServerProcess.run(List.of(jcmd, String.valueOf(jetty.pid()),
                    "GC.class_histogram"), 60);
            assertEquals(0, histogram.exit, histogram.toString());
            long alive = histogram.output.lines().map(LOADER::matcher).filter(Matcher::matches)
                    .mapToLong(line -> Long.parseLong(line.group(1))).sum();
            if (alive <= expected || System.nanoTime() > deadline) {
                return alive;
            }
            ServerProcess.sleep(500);
        }
    }

    /** A JETTY_BASE with the given modules, the MariaDB driver in lib/ext and an empty webapps/. */
    private Path jettyBase(Path home, String modules) throws Exception {
        Path base = Files.createDirectories(dir.resolve("base"));
        ServerProcess.Result created = ServerProcess.run(List.of(JAVA, "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base, "--add-modules=" + modules), 120);
        assertEquals(0, created.exit, created.toString());
        Files.createDirectories(base.resolve("lib/ext"));
        Files.copy(Fixtures.DRIVER, base.resolve("lib/ext/mysql-connector-j.jar"));
        Files.createDirectories(base.resolve("webapps"));
        return base;
    }

    /** Jetty from its distribution with only {@code -javaagent} added, and the given properties. */
    private static ServerProcess jetty(Path home, Path base, Path config, String... properties) throws Exception {
        int port = ServerProcess.freePort();
        List<String> command = new ArrayList<>(List.of(JAVA, "-javaagent:" + Fixtures.AGENT + "=config=" + config,
                "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + port));
        command.addAll(List.of(properties));
        return ServerProcess.start(command, base, Map.of(), base.resolve("console.log"), port);
    }

    /**
     * A filter that implements {@code jakarta.servlet.Filter} directly and answers {@code /plain} itself, never
     * calling the chain: compiled here against Jetty's servlet API, and added by the context XML, not the WAR.
     */
    private static Path plainFilter(Path jettyHome, Path dir) throws Exception {
        return compiled(jettyHome, "jakarta.servlet-api-6.0", dir, Map.of("PlainFilter", String.join("\n",
                "public class PlainFilter implements jakarta.servlet.Filter {",
                "  public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,",
                "      jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {",
                "    if (((jakarta.servlet.http.HttpServletRequest) request).getRequestURI().endsWith(\"/plain\")) {",
                "      response.getWriter().print(\"answered by a plain filter\");",
                "    } else {",
                "      chain.doFilter(request, response);",
                "    }",
                "  }",
                "}")));
    }

    /** Classes of package {@code shop}, by simple name, compiled against the servlet API jar of Jetty's lib/ named. */
    private static Path compiled(Path jettyHome, String apiJar, Path dir, Map<String, String> sources)
            throws Exception {
        Path folder = Files.createDirectories(dir.resolve("src/shop"));
        List<String> arguments = new ArrayList<>();
        Path api;
        try (java.util.stream.Stream<Path> jars = Files.list(jettyHome.resolve("lib"))) {
            api = jars.filter(jar -> jar.getFileName().toString().startsWith(apiJar))
                    .findFirst().orElseThrow();
        }
        Path classes = Files.createDirectories(dir.resolve("classes"));
        arguments.addAll(List.of("--release", "17", "-cp", api.toString(), "-d", classes.toString()));
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path file = folder.resolve(source.getKey() + ".java");
            Files.writeString(file, "package shop;\n" + source.getValue() + "\n");
            arguments.add(file.toString());
        }
        int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null,
                arguments.toArray(new String[0]));
        assertEquals(0, compiled, "javac " + sources.keySet());
        return classes;
    }

    /** The operator's way to give a Jetty webapp its DataSource: a context XML beside the WAR. */
    private static String shopContext(String ee, Path war, String databaseUrl, String... more) {
        List<String> lines = new ArrayList<>(List.of(
                "<?xml version=\"1.0\"?>",
                "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"https://jetty.org/configure_10_0.dtd\">",
                "<Configure id=\"wac\" class=\"org.eclipse.jetty." + ee + ".webapp.WebAppContext\">",
                "  <Set name=\"contextPath\">/shop</Set>",
                "  <Set name=\"war\">" + xml(war.toString()) + "</Set>"));
        lines.addAll(List.of(more));
        lines.addAll(List.of(
                "  <New id=\"ShopDB\" class=\"org.eclipse.jetty.plus.jndi.Resource\">",
                "    <Arg><Ref refid=\"wac\"/></Arg>",
                "    <Arg>jdbc/ShopDB</Arg>",
                "    <Arg>",
                "      <New class=\"com.mysql.cj.jdbc.MysqlDataSource\">",
                "        <Set name=\"url\">" + xml(databaseUrl) + "</Set>",
                "        <Set name=\"user\">" + xml(DB.user()) + "</Set>",
                "        <Set name=\"password\">" + xml(DB.password()) + "</Set>",
                "      </New>",
                "    </Arg>",
                "  </New>",
                "</Configure>", ""));
        return String.join("\n", lines);
    }

    /** The context XML's lines that add a filter of {@code extraClasses} to the shop, for REQUEST dispatches. */
    private static String[] withFilter(Path extraClasses, String filterClass, String servletApi) {
        return new String[] {
            "  <Set name=\"extraClasspath\">" + xml(extraClasses.toString()) + "</Set>",
            "  <Call name=\"addFilter\">",
            "    <Arg type=\"String\">" + filterClass + "</Arg>",
            "    <Arg type=\"String\">/*</Arg>",
            "    <Arg><Call class=\"java.util.EnumSet\" name=\"of\">",
            "      <Arg><Get class=\"" + servletApi + ".servlet.DispatcherType\" name=\"REQUEST\"/></Arg>",
            "    </Call></Arg>",
            "  </Call>",
        };
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
