package dev.upgradegate.gate.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The flat fields of a small request body, the one reader of the gate's forms and API bodies: a form
 * ({@code message=…&until=…}) or a JSON object of strings and numbers ({@code {"message": "…", "minutes": 30}}),
 * as browsers, curl and scripts send them. A name given twice counts once, with its first value, as the
 * Servlet API's {@code getParameter} reads it: a value appended behind a signed or checked one cannot override it.
 */
public final class RequestFields {

    /** Bodies the gate takes are a few lines; anything longer is refused unread. */
    static final int MAX_BYTES = 16 * 1024;

    private RequestFields() {
    }

    /** @throws IllegalArgumentException saying what is wrong, fit for the client */
    public static Map<String, String> read(InputStream body, String contentType) throws IOException {
        String text = new String(readAtMost(body), StandardCharsets.UTF_8).trim();
        if (text.isEmpty()) {
            return Map.of();
        }
        boolean json = contentType != null ? contentType.contains("json") : text.startsWith("{");
        return json ? json(text) : form(text);
    }

    /**
     * A posted HTML form ({@code application/x-www-form-urlencoded}) only, so that no other kind of request
     * can fill one in; empty for any other content type and for a body {@link #read} refuses, since a page
     * has nowhere to show why.
     */
    public static Map<String, String> form(Exchange exchange) throws IOException {
        String type = exchange.header("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        try {
            return read(exchange.requestBody(), type);
        } catch (IllegalArgumentException refused) {
            return Map.of();
        }
    }

    private static byte[] readAtMost(InputStream body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int n; (n = body.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            if (out.size() > MAX_BYTES) {
                throw new IllegalArgumentException("the body is larger than " + MAX_BYTES + " bytes");
            }
        }
        return out.toByteArray();
    }

    private static Map<String, String> form(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            try {
                fields.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // Not the field's text: it may be a secret sent in the wrong place.
                throw new IllegalArgumentException("a form field is not properly URL-encoded");
            }
        }
        return fields;
    }

    private static Map<String, String> json(String text) {
        Parser parser = new Parser(text);
        Map<String, String> fields = parser.object();
        parser.skipSpace();
        if (parser.at < text.length()) {
            throw new IllegalArgumentException("unexpected text after the JSON object");
        }
        return fields;
    }

    /** Just enough JSON: one object whose values are strings, numbers, booleans or null. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Map<String, String> object() {
            Map<String, String> fields = new HashMap<>();
            expect('{');
            skipSpace();
            if (peek() == '}') {
                at++;
                return fields;
            }
            while (true) {
                skipSpace();
                String name = string();
                skipSpace();
                expect(':');
                skipSpace();
                fields.putIfAbsent(name, value());
                skipSpace();
                char next = next();
                if (next == '}') {
                    return fields;
                }
                if (next != ',') {
                    throw bad();
                }
            }
        }

        private String value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            int start = at;
            while (at < text.length() && ",} \t\r\n".indexOf(text.charAt(at)) < 0) {
                at++;
            }
            String literal = text.substring(start, at);
            if (literal.equals("null")) {
                return null;
            }
            if (literal.equals("true") || literal.equals("false") || literal.matches("-?[0-9]+(\\.[0-9]+)?")) {
                return literal;
            }
            throw bad();
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case 'n': out.append('\n'); break;
                    case 't': out.append('\t'); break;
                    case 'r': out.append('\r'); break;
                    case 'b': out.append('\b'); break;
                    case 'f': out.append('\f'); break;
                    case 'u':
                        if (at + 4 > text.length()) {
                            throw bad();
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        } catch (NumberFormatException e) {
                            throw bad();
                        }
                        at += 4;
                        break;
                    default: out.append(escaped);
                }
            }
        }

        void skipSpace() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private char peek() {
            if (at >= text.length()) {
                throw bad();
            }
            return text.charAt(at);
        }

        private char next() {
            char c = peek();
            at++;
            return c;
        }

        private void expect(char c) {
            if (next() != c) {
                throw bad();
            }
        }

        private IllegalArgumentException bad() {
            return new IllegalArgumentException("the body is not a flat JSON object (at character " + (at + 1) + ")");
        }
    }
}
