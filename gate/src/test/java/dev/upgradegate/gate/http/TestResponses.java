package dev.upgradegate.gate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TestResponses {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL | false",
            "'' | false",
            "*/* | false",
            "text/html | false",
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8 | false",
            "text/html, application/json | false",
            "application/json | true",
            "application/problem+json | true",
            "application/json, text/html | true",
            "application/json, text/plain, */* | true",
    })
    void wantsJsonWhenJsonComesBeforeHtml(String accept, boolean json) {
        assertEquals(json, Responses.wantsJson(FakeExchange.get(accept)), String.valueOf(accept));
    }

    @Test
    void cspForStyleAllowsExactlyThatStyle() throws Exception {
        String css = "body{color:red}";
        String expected = "sha256-" + Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(css.getBytes(StandardCharsets.UTF_8)));
        String csp = Responses.cspForStyle(css);
        assertTrue(csp.contains("style-src '" + expected + "'"), csp);
        assertTrue(csp.contains("default-src 'none'"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertFalse(csp.contains("unsafe-inline"), csp);
        assertFalse(Responses.cspForStyle("body{color:blue}").contains(expected));
    }

    /** Every directive it names allows no source at all, and those that default-src does not cover are named. */
    @Test
    void lockedDownCspAllowsNothing() {
        Map<String, String> directives = new TreeMap<>();
        for (String directive : Responses.LOCKED_DOWN_CSP.split(";")) {
            String[] parts = directive.trim().split("\\s+", 2);
            assertNull(directives.put(parts[0], parts.length > 1 ? parts[1] : ""), "named twice: " + parts[0]);
        }
        directives.forEach((name, sources) -> assertEquals("'none'", sources, name));
        assertEquals(Set.of("default-src", "frame-ancestors", "base-uri", "form-action"), directives.keySet(),
                "default-src does not cover frame-ancestors, base-uri or form-action");
    }

    @Test
    void sendWritesStatusStrictHeadersAndBody() throws IOException {
        FakeExchange exchange = new FakeExchange("POST", "/install/upgrade", "/shop");
        byte[] body = "{\"ok\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        Responses.send(exchange, 409, Responses.PROBLEM_JSON, Responses.LOCKED_DOWN_CSP, body);
        assertEquals(409, exchange.status());
        assertEquals("application/problem+json", exchange.responseHeader("Content-Type"));
        assertEquals("no-store", exchange.responseHeader("Cache-Control"));
        assertEquals("nosniff", exchange.responseHeader("X-Content-Type-Options"));
        assertEquals("no-referrer", exchange.responseHeader("Referrer-Policy"));
        assertEquals("DENY", exchange.responseHeader("X-Frame-Options"));
        assertEquals(Responses.LOCKED_DOWN_CSP, exchange.responseHeader("Content-Security-Policy"));
        assertEquals(Integer.toString(body.length), exchange.responseHeader("Content-Length"));
        assertEquals("{\"ok\":\"\u00e9\"}", exchange.bodyText());
        assertFalse(exchange.headerAfterBody());
    }

    @Test
    void headSendsHeadersButNoBody() throws IOException {
        FakeExchange exchange = new FakeExchange("HEAD", "/install/status", "/shop");
        Responses.json(exchange, 200, new Json().field("state", "UP"));
        assertEquals(200, exchange.status());
        assertEquals(Integer.toString("{\"state\":\"UP\"}".length()), exchange.responseHeader("Content-Length"));
        assertEquals(0, exchange.bodyBytes().length);
    }
}
