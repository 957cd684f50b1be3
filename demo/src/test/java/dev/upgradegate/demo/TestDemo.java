package dev.upgradegate.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The demo in-process, with its own embedded MariaDB: the story the README tells, and its error messages. */
class TestDemo {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void maintenancePageThenUpgradeThenUp() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        String appUrl;
        try (Demo demo = Demo.start(Options.defaults().withPort(0), out)) {
            demo.printReady(0);
            List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
            System.out.print(printed.toString(StandardCharsets.UTF_8));

            int port = demo.port();
            assertTrue(port > 0);
            appUrl = "http://localhost:" + port + "/shop/";
            String installUrl = appUrl + "install/";
            assertEquals(appUrl, demo.appUrl());
            assertEquals(installUrl, demo.installUrl());
            assertTrue(lines.contains(appUrl), "the app URL on a line of its own: " + lines);
            assertTrue(lines.contains(installUrl), "the install URL on a line of its own: " + lines);
            String token = lines.get(lines.indexOf("Install token:") + 1);
            assertEquals(demo.token(), token);
            assertTrue(token.length() >= 20, token);
            String curl = "curl -X POST -H \"Authorization: Bearer " + token + "\" " + installUrl + "upgrade";
            assertTrue(lines.contains(curl), "the upgrade command on a line of its own: " + lines);
            assertEquals("UPGRADE_REQUIRED", demo.initialState());
            assertTrue(lines.contains("The MariaDB server itself stays unpacked in "
                    + dev.upgradegate.testsupport.EmbeddedMariaDb.binariesDir()
                    + " (about 365 MB), so that the next start is quick; --clean removes it."), "says what outlives it: "
                    + lines);
            assertTrue(lines.contains("Files (all removed when the demo stops):"), "says where its files are: " + lines);

            HttpResponse<String> page = get(appUrl, "text/html");
            assertEquals(503, page.statusCode(), page.body());
            assertTrue(page.body().contains("Down for Maintenance"), page.body());
            assertEquals("{\"state\":\"UPGRADE_REQUIRED\"}", get(installUrl + "status", "application/json").body());

            HttpResponse<String> wrongToken = post(installUrl + "upgrade", "not-the-token-0000000000");
            assertEquals(401, wrongToken.statusCode(), wrongToken.body());

            HttpResponse<String> upgrade = post(installUrl + "upgrade", token);
            assertEquals(202, upgrade.statusCode(), upgrade.body());

            String state = awaitState(installUrl + "status", "UP", Duration.ofSeconds(60));
            assertEquals("UP", state);
            HttpResponse<String> products = get(appUrl + "products", "text/html");
            assertEquals(200, products.statusCode(), products.body());
            HttpResponse<String> index = get(appUrl, "text/html");
            assertEquals(200, index.statusCode());
            assertTrue(index.body().contains("Shop 2.0.0"), index.body());
            assertEquals(200, get(appUrl + "categories", "text/html").statusCode());
            assertEquals(200, get(appUrl + "static/style.css", "text/css").statusCode());
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Stopped."));
        assertThrows(ConnectException.class, () -> get(appUrl, "text/html"), "Tomcat is stopped after close()");
    }

    @Test
    void portInUseIsOneClearLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            DemoException failure = assertThrows(DemoException.class,
                    () -> Demo.start(Options.defaults().withPort(port), quiet()));
            assertTrue(failure.getMessage().startsWith("Port " + port + " is already in use."), failure.getMessage());
            assertTrue(failure.getMessage().contains("--port"), failure.getMessage());

            Result result = run("--port", String.valueOf(port));
            assertEquals(1, result.status);
            assertTrue(result.err.startsWith("Error: Port " + port + " is already in use."), result.err);
            assertNoStackTrace(result);
        }
    }

    @Test
    void badJdbcUrlIsOneClearLine() throws Exception {
        Result malformed = run("--port", String.valueOf(freePort()), "--jdbc-url", "localhost:3306/shop");
        assertEquals(1, malformed.status);
        assertTrue(malformed.err.startsWith(
                "Error: --jdbc-url is not a MySQL, MariaDB or PostgreSQL JDBC URL: localhost:3306/shop"),
                malformed.err);
        assertTrue(malformed.err.contains("jdbc:mysql://localhost:3306/shop"), "shows an example: " + malformed.err);
        assertNoStackTrace(malformed);

        int closed = freePort();
        Result unreachable = run("--port", String.valueOf(freePort()),
                "--jdbc-url", "jdbc:mysql://127.0.0.1:" + closed + "/shop", "--user", "shop", "--password", "secret");
        assertEquals(1, unreachable.status);
        assertTrue(unreachable.err.startsWith("Error: Cannot connect to jdbc:mysql://127.0.0.1:" + closed
                + "/shop as shop: Communications link failure"), unreachable.err);
        assertTrue(unreachable.err.contains("Is the server running"), unreachable.err);
        assertFalse(unreachable.err.contains("secret"), "the password is never shown: " + unreachable.err);
        assertNoStackTrace(unreachable);
    }

    @Test
    void unknownOptionPrintsUsage() {
        Result result = run("--bogus");
        assertEquals(2, result.status);
        assertTrue(result.err.startsWith("Error: Unknown option: --bogus"), result.err);
        assertTrue(result.err.contains("Usage: java -jar upgradegate-demo.jar [options]"), result.err);
        assertTrue(result.err.contains("--jdbc-url URL"), result.err);
        assertEquals("", result.out);

        Result help = run("--help");
        assertEquals(0, help.status);
        assertTrue(help.out.startsWith("Usage: "), help.out);
    }

    @Test
    void optionsAreParsed() throws Exception {
        Options defaults = Options.parse();
        assertEquals(8080, defaults.port());
        assertEquals(null, defaults.jdbcUrl());
        assertFalse(defaults.clean());
        assertTrue(Options.parse("--clean").clean());

        Options options = Options.parse("--port", "18080", "--jdbc-url=jdbc:mysql://db:3306/shop", "--user", "u",
                "--password=p", "--verbose");
        assertEquals(18080, options.port());
        assertEquals("jdbc:mysql://db:3306/shop", options.jdbcUrl());
        assertEquals("u", options.user());
        assertEquals("p", options.password());
        assertTrue(options.verbose());
        assertFalse(options.toString().contains("=p,"), "the password is hidden: " + options);

        assertEquals("--port needs a value",
                assertThrows(Options.UsageException.class, () -> Options.parse("--port")).getMessage());
        assertEquals("--port needs a number from 1 to 65535, not: http",
                assertThrows(Options.UsageException.class, () -> Options.parse("--port", "http")).getMessage());
        assertEquals("--port needs a number from 1 to 65535, not: 70000",
                assertThrows(Options.UsageException.class, () -> Options.parse("--port=70000")).getMessage());
        assertTrue(assertThrows(Options.UsageException.class, () -> Options.parse("--user", "root"))
                .getMessage().contains("--jdbc-url"));
        assertTrue(assertThrows(Options.UsageException.class, () -> Options.parse("8080"))
                .getMessage().startsWith("Unexpected argument: 8080"));
    }

    @Test
    void passwordsInUrlsAreMasked() {
        assertEquals("jdbc:mysql://h/shop?user=a&password=***&useSSL=false",
                Database.masked("jdbc:mysql://h/shop?user=a&password=s3cret&useSSL=false"));
        assertEquals("jdbc:mysql://a:***@h:3306/shop", Database.masked("jdbc:mysql://a:s3cret@h:3306/shop"));
    }

    private HttpResponse<String> get(String url, String accept) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", accept).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private String awaitState(String statusUrl, String wanted, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = get(statusUrl, "application/json").body();
            if (body.equals("{\"state\":\"" + wanted + "\"}")) {
                return wanted;
            }
            Thread.sleep(250);
        }
        return "not " + wanted + " within " + within + ", last status " + body;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    private record Result(int status, String out, String err) { }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Demo.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertNoStackTrace(Result result) {
        assertFalse(result.err.contains("\tat ") || result.err.contains("Exception"), "no stack trace: " + result.err);
    }
}
