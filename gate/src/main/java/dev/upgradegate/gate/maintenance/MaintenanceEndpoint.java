package dev.upgradegate.gate.maintenance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.logging.Logger;

import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.db.Secrets;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.http.PathMatch;
import dev.upgradegate.gate.http.Problem;
import dev.upgradegate.gate.http.RequestFields;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.gate.security.BearerCheck;
import dev.upgradegate.gate.security.GuessLimiter;
import dev.upgradegate.gate.status.State;

/**
 * Manual maintenance over HTTP, under the install path: {@code POST maintenance} turns it on (fields
 * {@code message}, and {@code until} or {@code minutes}), {@code DELETE maintenance} or
 * {@code POST maintenance/off} turns it off, both with the install token; {@code GET bypass/<secret>}
 * gives the bearer of the secret URL the bypass cookie.
 */
public final class MaintenanceEndpoint {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    static final String MAINTENANCE = "/maintenance";
    static final String OFF = "/maintenance/off";
    static final String BYPASS = "/bypass/";

    private final WebappGate gate;

    public MaintenanceEndpoint(WebappGate gate) {
        this.gate = gate;
    }

    /**
     * Whether a request path is {@code {install}/maintenance} or below it, which never reaches the
     * webapp even while it is UP. Allocation-free: it runs on every request.
     *
     * @param install the offset just past {@code {context}{install.path}}
     */
    public static boolean isMaintenance(CharSequence path, int install) {
        return PathMatch.below(path, install, MAINTENANCE) >= 0;
    }

    /** Whether {@code rest} (the path below the install path) is one of this endpoint's. */
    public static boolean owns(String rest) {
        String resource = PathMatch.resource(rest);
        return resource.startsWith(BYPASS) || resource.equals(MAINTENANCE) || resource.equals(OFF);
    }

    /**
     * Answers {@code rest}, which {@link #owns} this endpoint, once the install endpoint's address and
     * HTTPS rules have let the request in.
     */
    public void handle(Exchange exchange, String rest) throws IOException {
        String resource = PathMatch.resource(rest);
        if (resource.startsWith(BYPASS)) {
            bypass(exchange, resource.substring(BYPASS.length()));
            return;
        }
        if (!BearerCheck.admits(gate, exchange)) {
            return;
        }
        String method = exchange.method();
        if (resource.equals(MAINTENANCE) && ("GET".equals(method) || "HEAD".equals(method))) {
            answer(exchange, 200);
        } else if (resource.equals(MAINTENANCE) && "POST".equals(method)) {
            on(exchange);
        } else if (resource.equals(MAINTENANCE) && "DELETE".equals(method) || resource.equals(OFF) && "POST".equals(method)) {
            off(exchange);
        } else {
            exchange.header("Allow", resource.equals(OFF) ? "POST" : "GET, POST, DELETE");
            Problem.send(exchange, 405, "Method Not Allowed", "see the HTTP API in docs/install-endpoint.md");
        }
    }

    private void on(Exchange exchange) throws IOException {
        long until;
        String message;
        String secret;
        try {
            Map<String, String> fields = RequestFields.read(exchange.requestBody(), exchange.header("Content-Type"));
            message = message(fields.get("message"));
            secret = blankToNull(fields.get("secret"));
            until = until(fields.get("until"), fields.get("minutes"), System.currentTimeMillis());
            if (secret != null && !Secrets.acceptable(secret)) {
                throw new IllegalArgumentException("secret must be 16 to 100 letters, digits, '-' or '_'");
            }
        } catch (IllegalArgumentException e) {
            Problem.send(exchange, 400, "Bad Request", e.getMessage());
            return;
        }
        try {
            gate.maintenanceOn(message, until, secret, gate.client(exchange));
        } catch (SQLException e) {
            Problem.send(exchange, 503, "Service Unavailable", "the database cannot be reached");
            return;
        }
        answer(exchange, 200);
    }

    private void off(Exchange exchange) throws IOException {
        try {
            gate.maintenanceOff(gate.client(exchange));
        } catch (SQLException e) {
            Problem.send(exchange, 503, "Service Unavailable", "the database cannot be reached");
            return;
        }
        answer(exchange, 200);
    }

    /**
     * The message visitors will read, trimmed, or {@code null} for the state's own words; the wizard's form
     * takes it the same way.
     *
     * @throws IllegalArgumentException when it does not fit the table's column
     */
    public static String message(String given) {
        String message = blankToNull(given);
        if (message != null && message.length() > 1000) {
            throw new IllegalArgumentException("message is longer than 1000 characters");
        }
        return message;
    }

    /**
     * The end time from {@code until} (ISO-8601 with offset, e.g. 2030-01-01T12:00:00Z) or
     * {@code minutes} from now; 0 for none.
     */
    public static long until(String until, String minutes, long nowMillis) {
        if (until != null && !until.isBlank() && minutes != null && !minutes.isBlank()) {
            throw new IllegalArgumentException("give until or minutes, not both");
        }
        if (minutes != null && !minutes.isBlank()) {
            try {
                long value = Long.parseLong(minutes.trim());
                if (value >= 1 && value <= 525_600) {
                    return nowMillis + value * 60_000;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("minutes must be a whole number from 1 to 525600");
        }
        if (until != null && !until.isBlank()) {
            long millis;
            try {
                millis = OffsetDateTime.parse(until.trim()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("until must be a date and time with offset, e.g. 2030-01-01T12:00:00Z");
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("until is too far in the future");
            }
            if (millis <= nowMillis) {
                throw new IllegalArgumentException("until is in the past");
            }
            return millis;
        }
        return 0;
    }

    private void answer(Exchange exchange, int status) throws IOException {
        Maintenance manual = gate.maintenance();
        Json json = new Json().field("webapp", gate.webapp().name()).field("state", gate.status().state().name())
                .field("maintenance", manual != null);
        if (manual != null) {
            json.field("message", manual.message())
                    .field("until", manual.untilMillis() == 0 ? null : Instant.ofEpochMilli(manual.untilMillis()).toString())
                    .field("bypass", bypassPath(exchange.contextPath(), gate.installPath(), manual.secret()));
        }
        Responses.json(exchange, status, json);
    }

    /** The secret URL's path, e.g. {@code /shop/install/bypass/<secret>}; the CLI prints the same. */
    public static String bypassPath(String contextPath, String installPath, String secret) {
        return contextPath + installPath + BYPASS + secret;
    }

    private void bypass(Exchange exchange, String presented) throws IOException {
        Maintenance manual = gate.maintenance();
        String client = gate.client(exchange);
        GuessLimiter.Verdict verdict = gate.guesses().check(client,
                exchange.contextPath() + gate.installPath() + BYPASS + "\u2026",
                () -> manual != null && gate.status().state() == State.MAINTENANCE
                        && MessageDigest.isEqual(manual.secret().getBytes(StandardCharsets.UTF_8),
                                presented.getBytes(StandardCharsets.UTF_8)));
        if (verdict.retryAfterSeconds() > 0) {
            BearerCheck.tooManyGuesses(exchange, verdict);
            return;
        }
        if (!verdict.right()) {
            Problem.send(exchange, 404, "Not Found", "no such bypass");
            return;
        }
        long now = System.currentTimeMillis();
        String cookie = BypassCookie.issue(gate.webapp().name(), manual, now);
        String path = exchange.contextPath().isEmpty() ? "/" : exchange.contextPath();
        exchange.header("Set-Cookie", BypassCookie.NAME + "=" + cookie + "; Path=" + path + "; Max-Age="
                + BypassCookie.maxAgeSeconds(cookie, now) + "; HttpOnly; SameSite=Lax" + (exchange.secure() ? "; Secure" : ""));
        exchange.header("Location", path.endsWith("/") ? path : path + "/");
        LOG.info(() -> gate.webapp().name() + ": maintenance bypass cookie issued to " + client);
        Responses.send(exchange, 303, Responses.HTML, Responses.LOCKED_DOWN_CSP, new byte[0]);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
