package dev.upgradegate.gate.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.upgradegate.gate.status.State;

class TestMaintenanceResponses {

    static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
    static final String API = "application/json";

    private static final Pattern STYLE = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL);
    private static final Pattern TITLE = Pattern.compile("<title>(.*?)</title>", Pattern.DOTALL);

    private static FakeExchange answer(MaintenanceResponses responses, State state, String method, String accept)
            throws IOException {
        FakeExchange exchange = new FakeExchange(method, "/cart", "/shop").accept(accept);
        responses.write(exchange, state);
        return exchange;
    }

    private static void assertStrictHeaders(FakeExchange exchange, int retryAfter) {
        assertEquals(503, exchange.status());
        assertEquals(Integer.toString(retryAfter), exchange.responseHeader("Retry-After"));
        assertEquals("no-store", exchange.responseHeader("Cache-Control"));
        assertEquals("nosniff", exchange.responseHeader("X-Content-Type-Options"));
        assertEquals("no-referrer", exchange.responseHeader("Referrer-Policy"));
        String csp = exchange.responseHeader("Content-Security-Policy");
        assertNotNull(csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertFalse(csp.contains("unsafe-eval"), csp);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertFalse(exchange.headerAfterBody(), "every header is set before the body");
    }

    /** The page's text a visitor sees: the markup without its style sheet and tags. */
    private static String visibleText(String html) {
        return STYLE.matcher(html).replaceAll("").replaceAll("<[^>]*>", " ");
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = "UP", mode = EnumSource.Mode.EXCLUDE)
    void browserGetsAPlainHtmlPage(State state) throws IOException {
        FakeExchange exchange = answer(new MaintenanceResponses(60), state, "GET", BROWSER);
        assertStrictHeaders(exchange, 60);
        assertEquals("text/html;charset=UTF-8", exchange.responseHeader("Content-Type"));
        String html = exchange.bodyText();
        assertEquals(Integer.toString(exchange.bodyBytes().length), exchange.responseHeader("Content-Length"));

        assertTrue(html.startsWith("<!DOCTYPE html>"), html);
        Matcher title = TITLE.matcher(html);
        assertTrue(title.find(), html);
        assertEquals("Down for Maintenance", title.group(1));
        assertTrue(html.contains(">" + state.code() + "<"), "shows the code " + state.code());
        assertTrue(html.contains(Html.escape(state.message())), "shows the state's message");

        String text = visibleText(html);
        assertFalse(Pattern.compile("\\d+\\.\\d+").matcher(text).find(), "no version number in: " + text);
        assertFalse(html.contains("SQL"), html);
        assertFalse(html.contains("Exception"), html);
        assertFalse(html.contains("\tat "), html);
        assertFalse(html.contains("http://"), html);
        assertFalse(html.contains("https://"), html);
        assertFalse(html.contains("//"), "no scheme-relative asset reference: " + html);
        assertFalse(html.toLowerCase().contains("<script"), html);
        assertFalse(html.toLowerCase().contains(" src="), html);
        assertFalse(html.toLowerCase().contains("<link"), html);
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = "UP", mode = EnumSource.Mode.EXCLUDE)
    void apiClientGetsProblemJson(State state) throws IOException {
        FakeExchange exchange = answer(new MaintenanceResponses(45), state, "GET", API);
        assertStrictHeaders(exchange, 45);
        assertEquals("application/problem+json", exchange.responseHeader("Content-Type"));
        assertEquals(Integer.toString(exchange.bodyBytes().length), exchange.responseHeader("Content-Length"));

        Map<String, Object> problem = TinyJson.object(exchange.bodyText());
        assertEquals(503L, problem.get("status"));
        assertEquals("Down for Maintenance", problem.get("title"));
        assertEquals(state.name(), problem.get("state"));
        assertEquals(45L, problem.get("retryAfter"));
        assertEquals(state.code(), problem.get("code"));
        assertEquals(state.message(), problem.get("detail"));
        assertEquals("about:blank", problem.get("type"));
        assertFalse(exchange.bodyText().contains("SQL"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/problem+json", "application/json, text/plain, */*",
            "application/json;q=0.9,text/html;q=0.1"})
    void jsonAcceptHeadersGetJson(String accept) throws IOException {
        FakeExchange exchange = answer(new MaintenanceResponses(60), State.UPGRADE_REQUIRED, "GET", accept);
        assertEquals("application/problem+json", exchange.responseHeader("Content-Type"));
        assertEquals("UPGRADE_REQUIRED", TinyJson.object(exchange.bodyText()).get("state"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "text/html", "text/plain", BROWSER})
    void otherAcceptHeadersGetHtml(String accept) throws IOException {
        FakeExchange exchange = answer(new MaintenanceResponses(60), State.UPGRADE_REQUIRED, "GET", accept);
        assertEquals("text/html;charset=UTF-8", exchange.responseHeader("Content-Type"));
        assertTrue(exchange.bodyText().contains("Err 2"));
    }

    @Test
    void noAcceptHeaderGetsHtml() throws IOException {
        FakeExchange exchange = new FakeExchange("GET", "/", "");
        new MaintenanceResponses(60).write(exchange, State.DB_UNAVAILABLE);
        assertEquals(503, exchange.status());
        assertEquals("text/html;charset=UTF-8", exchange.responseHeader("Content-Type"));
        assertTrue(exchange.bodyText().contains("Err 6"));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 60, 61, 3600, 86400})
    void retryAfterIsTheConfiguredSeconds(int seconds) throws IOException {
        MaintenanceResponses responses = new MaintenanceResponses(seconds);
        for (String accept : new String[] {BROWSER, API}) {
            FakeExchange exchange = answer(responses, State.UPGRADE_RUNNING, "GET", accept);
            assertStrictHeaders(exchange, seconds);
        }
        long minutes = Math.max(1, (seconds + 59) / 60);
        String html = answer(responses, State.UPGRADE_RUNNING, "GET", BROWSER).bodyText();
        assertTrue(html.contains("about " + minutes + (minutes == 1 ? " minute." : " minutes.")), html);
        assertEquals((long) seconds,
                TinyJson.object(answer(responses, State.UPGRADE_RUNNING, "GET", API).bodyText()).get("retryAfter"));
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = "UP", mode = EnumSource.Mode.EXCLUDE)
    void headGetsEveryHeaderAndNoBody(State state) throws IOException {
        MaintenanceResponses responses = new MaintenanceResponses(60);
        for (String accept : new String[] {BROWSER, API}) {
            FakeExchange get = answer(responses, state, "GET", accept);
            FakeExchange head = answer(responses, state, "HEAD", accept);
            assertStrictHeaders(head, 60);
            assertEquals(get.responseHeaders(), head.responseHeaders(), "HEAD has the headers of GET");
            assertEquals(Integer.toString(get.bodyBytes().length), head.responseHeader("Content-Length"));
            assertTrue(get.bodyBytes().length > 0);
            assertEquals(0, head.bodyBytes().length, "HEAD has no body bytes");
        }
    }

    @Test
    void cspHashMatchesTheInlineStyle() throws Exception {
        FakeExchange exchange = answer(new MaintenanceResponses(60), State.UPGRADE_REQUIRED, "GET", BROWSER);
        Matcher style = STYLE.matcher(exchange.bodyText());
        assertTrue(style.find(), "the page has one inline style element");
        String css = style.group(1);
        assertFalse(style.find(), "the page has only one inline style element");
        String hash = Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8)));
        String csp = exchange.responseHeader("Content-Security-Policy");
        assertTrue(csp.contains("style-src 'sha256-" + hash + "'"), "CSP " + csp + " lacks the hash " + hash);
        assertFalse(exchange.bodyText().contains(" style=\""), "no inline style attributes, which the hash would not cover");
    }

    @Test
    void eachStateHasItsOwnCode() throws IOException {
        MaintenanceResponses responses = new MaintenanceResponses(60);
        Set<String> pages = new HashSet<>();
        for (State state : State.values()) {
            if (state != State.UP) {
                assertTrue(state.code().matches("Err \\d+"), state.code());
                assertTrue(pages.add(answer(responses, state, "GET", BROWSER).bodyText()), state.name());
            }
        }
        assertEquals(State.values().length - 1, pages.size());
    }

    @Test
    void answersAreTheSameEveryTime() throws IOException {
        MaintenanceResponses responses = new MaintenanceResponses(60);
        byte[] first = answer(responses, State.SCHEMA_NEWER, "GET", BROWSER).bodyBytes();
        byte[] second = answer(responses, State.SCHEMA_NEWER, "GET", BROWSER).bodyBytes();
        assertArrayEquals(first, second);
        assertTrue(new String(first, StandardCharsets.UTF_8).contains("Err 5"));
    }
}
