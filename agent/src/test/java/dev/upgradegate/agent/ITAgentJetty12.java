package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * The agent in a real Jetty 12 distribution (ee10), given with {@code -javaagent} only. The shop is unchanged:
 * its {@code jdbc/ShopDB} comes from a Jetty context XML, as an operator would declare it, and the gate finds
 * it there through {@code app.shop.datasource} like on Tomcat.
 */
class ITAgentJetty12 {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    @TempDir
    Path dir;

    @Test
    void javaagentGatesTheShopUntilItIsUpgraded() throws Exception {
        Fixtures.schemaAt100(DB);
        Path home = Fixtures.dist("upgradegate.jetty.dist");
        Path base = Files.createDirectories(dir.resolve("base"));
        String java = Path.of(ServerProcess.JAVA_HOME, "bin", "java").toString();
        ServerProcess.Result created = ServerProcess.run(List.of(java, "-jar", home.resolve("start.jar").toString(),
                "jetty.home=" + home, "jetty.base=" + base,
                "--add-modules=http,ext,ee10-deploy,ee10-jndi,ee10-plus"), 120);
        assertEquals(0, created.exit, created.toString());

        Files.createDirectories(base.resolve("lib/ext"));
        Files.copy(Fixtures.DRIVER, base.resolve("lib/ext/mysql-connector-j.jar"));
        Files.createDirectories(base.resolve("webapps"));
        Files.copy(Fixtures.WARS.resolve("shop-2.0.0.war"), base.resolve("webapps/shop.war"));
        Path extra = plainFilter(home, Files.createDirectories(dir.resolve("extra")));
        Files.writeString(base.resolve("webapps/shop.xml"), shopContext(base.resolve("webapps/shop.war"), extra),
                StandardCharsets.UTF_8);
        Path config = Fixtures.config(Files.createDirectories(base.resolve("etc")), "app.shop.datasource=jdbc/ShopDB");

        int port = ServerProcess.freePort();
        try (ServerProcess jetty = ServerProcess.start(List.of(java,
                "-javaagent:" + Fixtures.AGENT + "=config=" + config,
                "-jar", home.resolve("start.jar").toString(), "jetty.home=" + home, "jetty.base=" + base,
                "jetty.http.host=127.0.0.1", "jetty.http.port=" + port), base, Map.of(),
                base.resolve("console.log"), port)) {
            Http http = new Http("http://127.0.0.1:" + port);
            // A plain jakarta.servlet.Filter (no HttpFilter) that answers by itself is gated all the same.
            assertEquals(503, http.await("/shop/plain", 60, response -> response.statusCode() == 503).statusCode());
            Fixtures.storyFromMismatchToUp(http);
            assertEquals("answered by a plain filter", http.get("/shop/plain").body());
            String log = jetty.output();
            assertTrue(log.contains("UpgradeGate agent started"), log);
            // Jetty's per-dispatch entry, before any filter, is the only place gated: no HttpServlet advice.
            assertTrue(log.contains("instrumented org.eclipse.jetty.ee10.servlet.ServletHandler$MappedServlet"), log);
            assertFalse(log.contains("instrumented jakarta.servlet"), log);
            assertFalse(log.contains("SEVERE"), log);
        }
    }

    /**
     * A filter that implements {@code jakarta.servlet.Filter} directly and answers {@code /plain} itself, never
     * calling the chain: compiled here against Jetty's servlet API, and added by the context XML, not the WAR.
     */
    private static Path plainFilter(Path jettyHome, Path dir) throws Exception {
        Path source = Files.createDirectories(dir.resolve("src/shop")).resolve("PlainFilter.java");
        Files.writeString(source, String.join("\n",
                "package shop;",
                "public class PlainFilter implements jakarta.servlet.Filter {",
                "  public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response,",
                "      jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {",
                "    if (((jakarta.servlet.http.HttpServletRequest) request).getRequestURI().endsWith(\"/plain\")) {",
                "      response.getWriter().print(\"answered by a plain filter\");",
                "    } else {",
                "      chain.doFilter(request, response);",
                "    }",
                "  }",
                "}", ""));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Path api;
        try (java.util.stream.Stream<Path> jars = Files.list(jettyHome.resolve("lib"))) {
            api = jars.filter(jar -> jar.getFileName().toString().startsWith("jakarta.servlet-api-6.0"))
                    .findFirst().orElseThrow();
        }
        int compiled = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "--release", "17", "-cp", api.toString(), "-d", classes.toString(), source.toString());
        assertEquals(0, compiled, "javac PlainFilter");
        return classes;
    }

    /** The operator's way to give a Jetty webapp its DataSource: a context XML beside the WAR. */
    private static String shopContext(Path war, Path extraClasses) {
        return String.join("\n",
                "<?xml version=\"1.0\"?>",
                "<!DOCTYPE Configure PUBLIC \"-//Jetty//Configure//EN\" \"https://jetty.org/configure_10_0.dtd\">",
                "<Configure id=\"wac\" class=\"org.eclipse.jetty.ee10.webapp.WebAppContext\">",
                "  <Set name=\"contextPath\">/shop</Set>",
                "  <Set name=\"war\">" + xml(war.toString()) + "</Set>",
                "  <Set name=\"extraClasspath\">" + xml(extraClasses.toString()) + "</Set>",
                "  <Call name=\"addFilter\">",
                "    <Arg type=\"String\">shop.PlainFilter</Arg>",
                "    <Arg type=\"String\">/*</Arg>",
                "    <Arg><Call class=\"java.util.EnumSet\" name=\"of\">",
                "      <Arg><Get class=\"jakarta.servlet.DispatcherType\" name=\"REQUEST\"/></Arg>",
                "    </Call></Arg>",
                "  </Call>",
                "  <New id=\"ShopDB\" class=\"org.eclipse.jetty.plus.jndi.Resource\">",
                "    <Arg><Ref refid=\"wac\"/></Arg>",
                "    <Arg>jdbc/ShopDB</Arg>",
                "    <Arg>",
                "      <New class=\"com.mysql.cj.jdbc.MysqlDataSource\">",
                "        <Set name=\"url\">" + xml(DB.jdbcUrl()) + "</Set>",
                "        <Set name=\"user\">" + xml(DB.user()) + "</Set>",
                "        <Set name=\"password\">" + xml(DB.password()) + "</Set>",
                "      </New>",
                "    </Arg>",
                "  </New>",
                "</Configure>", "");
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
