package dev.upgradegate.gate.install;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import dev.upgradegate.gate.http.Exchange;

/** The fields of a posted HTML form ({@code application/x-www-form-urlencoded}). */
final class FormBody {

    /** The wizard's forms are tiny; a bigger body is not one of them. */
    static final int MAX_BYTES = 16 * 1024;

    private FormBody() {
    }

    /** The form's fields; empty for any other content type or an oversized body. */
    static Map<String, String> read(Exchange exchange) throws IOException {
        String type = exchange.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            return Map.of();
        }
        byte[] bytes;
        try (InputStream in = exchange.requestBody()) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) {
            return Map.of();
        }
        Map<String, String> fields = new HashMap<>();
        for (String pair : new String(bytes, StandardCharsets.US_ASCII).split("&")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            try {
                fields.putIfAbsent(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                // a malformed field is simply absent
            }
        }
        return fields;
    }
}
