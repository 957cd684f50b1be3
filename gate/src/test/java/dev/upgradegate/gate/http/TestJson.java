package dev.upgradegate.gate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestJson {

    /** Sends the document the way the gate does and returns the body a client receives. */
    private static String sent(Json json) throws IOException {
        FakeExchange exchange = new FakeExchange("GET", "/install/status", "/shop").accept("application/json");
        Responses.json(exchange, 200, json);
        assertEquals("application/json", exchange.responseHeader("Content-Type"));
        return exchange.bodyText();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "plain",
            "",
            "say \"hi\"",
            "C:\\temp\\new",
            "line1\nline2\r\n\tend",
            "bell\u0007 nul\u0000 esc\u001b us\u001f",
            "</script><script>alert(1)</script>",
            "a & b > c",
            "sep\u2028par\u2029",
            "caf\u00e9 \u65e5\u672c \uD83D\uDE00",
            "\\\"",
            "Duplicate entry '1' for key 'PRIMARY' (SQLState 23000)",
    })
    void everyStringSurvivesTheRoundTrip(String value) throws IOException {
        String body = sent(new Json().field("detail", value).field("k\"e\\y<", value));
        Map<String, Object> parsed = TinyJson.object(body);
        assertEquals(value, parsed.get("detail"));
        assertEquals(value, parsed.get("k\"e\\y<"));
    }

    @Test
    void quotesAndBackslashesAreEscaped() throws IOException {
        assertEquals("{\"a\":\"say \\\"hi\\\" C:\\\\x\"}", sent(new Json().field("a", "say \"hi\" C:\\x")));
    }

    @Test
    void controlCharactersAreEscaped() throws IOException {
        String body = sent(new Json().field("a", "1\n2\r3\t4\u00005\u001f6\b7\f"));
        assertEquals("{\"a\":\"1\\n2\\r3\\t4\\u00005\\u001f6\\u00087\\u000c\"}", body);
        for (char c : body.toCharArray()) {
            assertTrue(c >= 0x20, "raw control character " + (int) c + " in " + body);
        }
    }

    @Test
    void markupCharactersAreEscapedSoJsonIsNeverSniffedAsHtml() throws IOException {
        String body = sent(new Json().field("a", "<script>&</script>"));
        assertFalse(body.contains("<"), body);
        assertFalse(body.contains(">"), body);
        assertFalse(body.contains("&"), body);
        assertTrue(body.toLowerCase().contains("\\u003c"), body);
    }

    @Test
    void lineAndParagraphSeparatorsAreEscaped() throws IOException {
        String body = sent(new Json().field("a", "\u2028\u2029"));
        assertFalse(body.contains("\u2028") || body.contains("\u2029"), body);
    }

    @Test
    void numbersNullsAndNestedValues() throws IOException {
        Map<String, Object> parsed = TinyJson.object(sent(new Json()
                .field("n", 503)
                .field("big", Long.MAX_VALUE)
                .field("negative", -1)
                .field("missing", (String) null)
                .field("list", List.of("1", "2"))
                .field("inner", new Json().field("x", "<y>"))));
        assertEquals(503L, parsed.get("n"));
        assertEquals(Long.MAX_VALUE, parsed.get("big"));
        assertEquals(-1L, parsed.get("negative"));
        assertTrue(parsed.containsKey("missing"));
        assertNull(parsed.get("missing"));
        assertEquals(List.of("1", "2"), parsed.get("list"));
        assertEquals(Map.of("x", "<y>"), parsed.get("inner"));
    }

    @Test
    void booleansArraysOfObjectsAndAbsentValuesAreWrittenCompactly() {
        Json json = new Json()
                .field("on", true)
                .field("off", false)
                .array("items", List.of("a", "<b>"), item -> new Json().field("id", item))
                .array("none", List.of(), item -> new Json())
                .array("absent", null, item -> new Json())
                .field("nothing", (Json) null)
                .field("strings", List.of("x\"y"));
        assertEquals("{\"on\":true,\"off\":false,\"items\":[{\"id\":\"a\"},{\"id\":\"\\u003cb\\u003e\"}],"
                + "\"none\":[],\"absent\":null,\"nothing\":null,\"strings\":[\"x\\\"y\"]}", json.toString());
        Map<String, Object> parsed = TinyJson.object(json.toString());
        assertEquals(true, parsed.get("on"));
        assertEquals(List.of(Map.of("id", "a"), Map.of("id", "<b>")), parsed.get("items"));
    }

    @Test
    void emptyDocumentIsAnEmptyObject() throws IOException {
        assertEquals("{}", sent(new Json()));
        assertEquals(Map.of(), TinyJson.object(new Json().toString()));
    }

    @Test
    void toStringCanBeCalledTwice() {
        Json json = new Json().field("a", 1);
        assertEquals(json.toString(), json.toString());
        assertEquals("{\"a\":1}", json.toString());
    }
}
