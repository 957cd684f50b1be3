package dev.upgradegate.gate.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Writes the gate's responses, each with the same strict headers. */
public final class Responses {

    public static final String HTML = "text/html;charset=UTF-8";
    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    /** For JSON and other documents that never load anything. */
    public static final String LOCKED_DOWN_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private Responses() {
    }

    /** A CSP that allows exactly one inline style block, by its hash. */
    public static String cspForStyle(String css) {
        return "default-src 'none'; style-src '" + sha256(css) + "'; img-src data:; frame-ancestors 'none'; "
                + "base-uri 'none'; form-action 'self'";
    }

    /** The CSP source expression of an inline block: {@code sha256-<base64>}. */
    public static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Status, the strict headers, and the body unless the request was a HEAD. */
    public static void send(Exchange exchange, int status, String contentType, String csp, byte[] body)
            throws IOException {
        exchange.status(status);
        exchange.header("Content-Type", contentType);
        exchange.header("Cache-Control", "no-store");
        exchange.header("X-Content-Type-Options", "nosniff");
        exchange.header("Referrer-Policy", "no-referrer");
        exchange.header("X-Frame-Options", "DENY");
        exchange.header("Content-Security-Policy", csp);
        exchange.header("Content-Length", Integer.toString(body.length));
        if (!"HEAD".equals(exchange.method())) {
            OutputStream out = exchange.body();
            out.write(body);
            out.flush();
        }
    }

    public static void json(Exchange exchange, int status, Json json) throws IOException {
        send(exchange, status, JSON, LOCKED_DOWN_CSP, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the client asked for JSON before (or instead of) HTML. */
    public static boolean wantsJson(Exchange exchange) {
        String accept = exchange.header("Accept");
        if (accept == null) {
            return false;
        }
        int json = accept.indexOf("json");
        int html = accept.indexOf("html");
        return json >= 0 && (html < 0 || json < html);
    }
}
