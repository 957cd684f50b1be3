package dev.upgradegate.gate.maintenance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Logger;

import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.http.PathMatch;
import dev.upgradegate.gate.http.Problem;
import dev.upgradegate.gate.http.RequestFields;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.gate.security.BearerCheck;
import dev.upgradegate.gate.security.GuessLimiter;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.StatusMonitor;

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
    private static final String BYPASS_FOLDER = "/bypass";

    private final String webapp;
    private final String installPath;
    private final StatusMonitor monitor;
    private final ManualMaintenance maintenance;
    private final BearerCheck bearer;

    public MaintenanceEndpoint(String webapp, String installPath, StatusMonitor monitor, ManualMaintenance maintenance,
                               BearerCheck bearer) {
        this.webapp = webapp;
        this.installPath = installPath;
        this.monitor = monitor;
        this.maintenance = maintenance;
        this.bearer = bearer;
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

    /**
     * Whether the path below the install path (from {@code install} on) is one of this endpoint's:
     * {@code maintenance}, {@code maintenance/off} or {@code bypass/<secret>}. Allocation-free.
     */
    public static boolean owns(CharSequence path, int install) {
        int bypass = PathMatch.below(path, install, BYPASS_FOLDER);
        return bypass >= 0 && path.length() > bypass + 1 || PathMatch.isExactly(path, install, MAINTENANCE)
                || PathMatch.isExactly(path, install, OFF);
    }

    /**
     * Answers {@code rest}, which {@link #owns} this endpoint, once {@code InstallAccess} has let the request in.
     */
    public void handle(Exchange exchange, String rest) throws IOException {
        String resource = PathMatch.resource(rest);
        if (resource.startsWith(BYPASS)) {
            bypass(exchange, resource.substring(BYPASS.length()));
            return;
        }
        if (!bearer.admits(exchange)) {
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
        MaintenanceOrder order;
        try {
            Map<String, String> fields = RequestFields.read(exchange.requestBody(), exchange.header("Content-Type"));
            order = MaintenanceOrder.of(fields.get("message"), fields.get("until"), fields.get("minutes"),
                    fields.get("secret"), System.currentTimeMillis());
        } catch (IllegalArgumentException e) {
            Problem.send(exchange, 400, "Bad Request", e.getMessage());
            return;
        }
        try {
            maintenance.on(order, bearer.client(exchange));
        } catch (SQLException e) {
            Problem.send(exchange, 503, "Service Unavailable", "the database cannot be reached");
            return;
        }
        answer(exchange, 200);
    }

    private void off(Exchange exchange) throws IOException {
        try {
            maintenance.off(bearer.client(exchange));
        } catch (SQLException e) {
            Problem.send(exchange, 503, "Service Unavailable", "the database cannot be reached");
            return;
        }
        answer(exchange, 200);
    }

    private void answer(Exchange exchange, int status) throws IOException {
        Maintenance manual = monitor.maintenance();
        Json json = new Json().field("webapp", webapp).field("state", monitor.status().state().name())
                .field("maintenance", manual != null);
        if (manual != null) {
            json.field("message", manual.message())
                    .field("until", manual.untilMillis() == 0 ? null : Instant.ofEpochMilli(manual.untilMillis()).toString())
                    .field("bypass", bypassPath(exchange.contextPath(), installPath, manual.secret()));
        }
        Responses.json(exchange, status, json);
    }

    /** The secret URL's path, e.g. {@code /shop/install/bypass/<secret>}; the CLI prints the same. */
    public static String bypassPath(String contextPath, String installPath, String secret) {
        return contextPath + installPath + BYPASS + secret;
    }

    private void bypass(Exchange exchange, String presented) throws IOException {
        Maintenance manual = monitor.maintenance();
        String client = bearer.client(exchange);
        GuessLimiter.Verdict verdict = bearer.guesses().check(client,
                exchange.contextPath() + installPath + BYPASS + "\u2026",
                () -> manual != null && monitor.status().state() == State.MAINTENANCE
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
        String cookie = BypassCookie.issue(webapp, manual, now);
        String path = exchange.contextPath().isEmpty() ? "/" : exchange.contextPath();
        exchange.header("Set-Cookie", BypassCookie.NAME + "=" + cookie + "; Path=" + path + "; Max-Age="
                + BypassCookie.maxAgeSeconds(cookie, now) + "; HttpOnly; SameSite=Lax" + (exchange.secure() ? "; Secure" : ""));
        exchange.header("Location", path.endsWith("/") ? path : path + "/");
        LOG.info(() -> webapp + ": maintenance bypass cookie issued to " + client);
        Responses.send(exchange, 303, Responses.HTML, Responses.LOCKED_DOWN_CSP, new byte[0]);
    }
}
