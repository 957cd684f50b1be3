package dev.upgradegate.gate.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;

import dev.upgradegate.gate.status.State;

/**
 * The 503 every request of a gated webapp gets: rendered once per state at start, so serving one costs
 * no more than a static file. Written with a status and a body, never sendError, so that the webapp's
 * own error pages (which may need the database) never run.
 */
public final class MaintenanceResponses {

    static final String STYLE = ""
            + ":root{color-scheme:light dark;--bg:#f4f6f9;--card:#fff;--ink:#1d2433;--muted:#5b6576;--accent:#c2410c}"
            + "@media (prefers-color-scheme:dark){:root{--bg:#12151c;--card:#1b2030;--ink:#e8ebf2;--muted:#a3adbf;--accent:#fb923c}}"
            + "*{box-sizing:border-box}"
            + "body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;padding:1.5rem;"
            + "background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
            + "main{max-width:34rem;width:100%;background:var(--card);border-radius:14px;padding:2.25rem 2rem;"
            + "box-shadow:0 10px 30px rgba(16,24,40,.10)}"
            + "h1{margin:.25rem 0 .75rem;font-size:1.6rem;line-height:1.25}"
            + "p{margin:0 0 1rem;color:var(--muted)}"
            + ".code{display:inline-block;font:600 .8rem/1 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.04em;"
            + "color:var(--accent);border:1px solid currentColor;border-radius:999px;padding:.35rem .7rem}"
            + ".bar{height:4px;border-radius:2px;background:linear-gradient(90deg,var(--accent),transparent);margin-bottom:1.5rem}"
            + "small{color:var(--muted)}";

    private static final String CSP = Responses.cspForStyle(STYLE);

    private final Map<State, byte[]> html = new EnumMap<>(State.class);
    private final Map<State, byte[]> json = new EnumMap<>(State.class);
    private final String retryAfter;

    public MaintenanceResponses(int retryAfterSeconds) {
        this.retryAfter = Integer.toString(retryAfterSeconds);
        for (State state : State.values()) {
            html.put(state, page(state, state.message(), retryAfterSeconds).getBytes(StandardCharsets.UTF_8));
            json.put(state, problem(state, state.message(), retryAfterSeconds).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String page(State state, String message, int retryAfterSeconds) {
        int minutes = Math.max(1, (retryAfterSeconds + 59) / 60);
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<meta name=\"robots\" content=\"noindex\">"
                + "<title>Down for Maintenance</title><style>" + STYLE + "</style></head>"
                + "<body><main role=\"main\" aria-labelledby=\"title\"><div class=\"bar\"></div>"
                + "<span class=\"code\" title=\"" + Html.escape(state.name()) + "\">" + Html.escape(state.code()) + "</span>"
                + "<h1 id=\"title\">Down for Maintenance</h1>"
                + "<p>" + Html.escape(message) + "</p>"
                + "<small>Please try again in about " + minutes + (minutes == 1 ? " minute" : " minutes")
                + ". If this lasts, quote the code above to the site's administrator.</small>"
                + "</main></body></html>\n";
    }

    private static String problem(State state, String message, int retryAfterSeconds) {
        return Problem.of(503, "Down for Maintenance", message)
                .field("state", state.name())
                .field("code", state.code())
                .field("retryAfter", retryAfterSeconds)
                .toString();
    }

    /**
     * The built-in page with an administrator's message and Retry-After, rendered per request: manual
     * maintenance is the one state whose words and end time are not known at start.
     */
    public void write(Exchange exchange, State state, String message, int retryAfterSeconds) throws IOException {
        exchange.header("Retry-After", Integer.toString(retryAfterSeconds));
        if (Responses.wantsJson(exchange)) {
            Responses.send(exchange, 503, Responses.PROBLEM_JSON, Responses.LOCKED_DOWN_CSP,
                    problem(state, message, retryAfterSeconds).getBytes(StandardCharsets.UTF_8));
        } else {
            Responses.send(exchange, 503, Responses.HTML, CSP,
                    page(state, message, retryAfterSeconds).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Retry-After of every state but manual maintenance with an end time. */
    public int retryAfterSeconds() {
        return Integer.parseInt(retryAfter);
    }

    public void write(Exchange exchange, State state) throws IOException {
        exchange.header("Retry-After", retryAfter);
        if (Responses.wantsJson(exchange)) {
            Responses.send(exchange, 503, Responses.PROBLEM_JSON, Responses.LOCKED_DOWN_CSP, json.get(state));
        } else {
            Responses.send(exchange, 503, Responses.HTML, CSP, html.get(state));
        }
    }
}
