package dev.upgradegate.gate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TestRequestFields {

    private static final String FORM = "application/x-www-form-urlencoded";

    private static Map<String, String> read(String body, String contentType) throws IOException {
        return RequestFields.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), contentType);
    }

    private static Map<String, String> posted(String body, String contentType) throws IOException {
        return RequestFields.form(new FakeExchange("POST", "/install/", "/shop") {
            @Override
            public InputStream requestBody() {
                return new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8));
            }
        }.with("Content-Type", contentType));
    }

    @Test
    void aFormIsDecoded() throws IOException {
        assertEquals(Map.of("message", "back at 5 & soon", "minutes", "30", "flag", ""),
                read("message=back+at+5+%26+soon&minutes=30&flag", FORM));
        assertEquals(Map.of("message", "caf\u00e9"), read("message=caf%C3%A9", null));
    }

    @Test
    void aFlatJsonObjectIsRead() throws IOException {
        Map<String, String> expected = new HashMap<>();
        expected.put("message", "say \"hi\"\n");
        expected.put("minutes", "30");
        expected.put("on", "true");
        expected.put("secret", null);
        assertEquals(expected, read("{\"message\": \"say \\\"hi\\\"\\n\", \"minutes\": 30, \"on\": true,"
                + " \"secret\": null}", "application/json"));
        assertEquals(Map.of("a", "b"), read(" {\"a\":\"b\"} ", null), "no content type: the text tells");
        assertEquals(Map.of(), read("  ", "application/json"));
    }

    /** One rule for every body: the first value of a name counts, as with the Servlet API's getParameter. */
    @Test
    void aNameGivenTwiceKeepsItsFirstValue() throws IOException {
        assertEquals(Map.of("script", "V2__a.sql"), read("script=V2__a.sql&script=V3__b.sql", FORM));
        assertEquals(Map.of("minutes", "5"), read("{\"minutes\": 5, \"minutes\": 500}", "application/json"));
        assertEquals(Map.of("csrf", "first", "token", "t"), posted("csrf=first&token=t&csrf=second", FORM));
    }

    @Test
    void whatIsWrongIsSaidWithoutRepeatingTheField() {
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> read("token=secret-in-the-wrong-place%zz", FORM));
        assertEquals("a form field is not properly URL-encoded", malformed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> read("{\"a\": [1]}", "application/json"));
        assertThrows(IllegalArgumentException.class, () -> read("{\"a\": 1} trailing", "application/json"));
        assertEquals("the body is larger than 16384 bytes", assertThrows(IllegalArgumentException.class,
                () -> read("a=" + "x".repeat(RequestFields.MAX_BYTES), FORM)).getMessage());
    }

    /** A page has nowhere to show a 400, so the wizard's form reading is empty instead. */
    @Test
    void aPostedFormIsOnlyAFormAndNothingItRefuses() throws IOException {
        assertEquals(Map.of("action", "backup"), posted("action=backup", FORM + ";charset=UTF-8"));
        assertEquals(Map.of(), posted("{\"action\": \"backup\"}", "application/json"));
        assertEquals(Map.of(), posted("action=backup", null));
        assertEquals(Map.of(), posted("action=backup&a=%zz", FORM));
        assertEquals(Map.of(), posted("a=" + "x".repeat(RequestFields.MAX_BYTES), FORM));
    }
}
