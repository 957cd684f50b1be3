package dev.upgradegate.gate.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

import dev.upgradegate.gate.State;
import dev.upgradegate.gate.Status;
import dev.upgradegate.gate.UpgradeProgress;
import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.config.AddressRange;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.http.MaintenanceResponses;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * The install endpoint of one webapp, {@code {context}{install.path}/…}: {@code GET status} for anyone,
 * {@code POST upgrade} with the token. While the webapp is UP only {@code status} answers; everything
 * else under the path reaches the webapp, as if the install directory had been deleted.
 */
public final class InstallEndpoint {

    public static final String STATUS = "/status";
    static final String UPGRADE = "/upgrade";
    static final String RELEASE_LOCK = "/release-lock";
    static final String REPAIR = "/repair";
    public static final String RESULT = "/result";

    private final WebappGate gate;
    private final MaintenanceResponses maintenance;
    private final List<AddressRange> allow;
    private final boolean requireSecure;
    private volatile Wizard wizard;

    public InstallEndpoint(WebappGate gate, MaintenanceResponses maintenance) {
        this.gate = gate;
        this.maintenance = maintenance;
        this.allow = gate.hostSettings().installAllow();
        this.requireSecure = gate.hostSettings().requireSecure();
    }

    /** Made on first use: most webapps never need a wizard, and the gate is built before its settings are final. */
    private Wizard wizard() {
        Wizard current = wizard;
        if (current == null) {
            synchronized (this) {
                if (wizard == null) {
                    wizard = new Wizard(gate);
                }
                current = wizard;
            }
        }
        return current;
    }

    /**
     * Whether a request path is the status resource. Allocation-free: it runs on every request.
     *
     * @param path the decoded request URI, context path included
     */
    public static boolean isStatus(CharSequence path, int contextPathLength, String installPath) {
        int at = InstallPath.below(path, contextPathLength, installPath);
        return at >= 0 && InstallPath.isExactly(path, at, STATUS);
    }

    /** Whether a request path is the wizard's result page. Allocation-free, like {@link #isStatus}. */
    public static boolean isResult(CharSequence path, int contextPathLength, String installPath) {
        int at = InstallPath.below(path, contextPathLength, installPath);
        return at >= 0 && InstallPath.isExactly(path, at, RESULT);
    }

    /** @param rest the path below the install path: empty, {@code /status}, {@code /upgrade}, … */
    public void handle(Exchange exchange, String rest) throws IOException {
        String resource = rest.endsWith("/") && rest.length() > 1 ? rest.substring(0, rest.length() - 1) : rest;
        if (!allowed(exchange.remoteAddress())) {
            notFound(exchange);
            return;
        }
        if (STATUS.equals(resource)) {
            if (allow(exchange, "GET", "HEAD")) {
                status(exchange);
            }
            return;
        }
        if (!secureEnough(exchange)) {
            forbidden(exchange);
            return;
        }
        if (gate.status().state() == State.UP) {
            // Only the wizard's one-time success page gets here once the webapp is up.
            if (!(RESULT.equals(resource) && gate.resultOpen() && wizard().handle(exchange, resource))) {
                notFound(exchange);
            }
            return;
        }
        if (UPGRADE.equals(resource)) {
            if (allow(exchange, "POST")) {
                upgrade(exchange);
            }
        } else if (RELEASE_LOCK.equals(resource)) {
            if (allow(exchange, "POST")) {
                releaseLock(exchange);
            }
        } else if (REPAIR.equals(resource)) {
            if (allow(exchange, "POST")) {
                repair(exchange);
            }
        } else if (!wizard().handle(exchange, resource)) {
            maintenance.write(exchange, gate.status().state());
        }
    }

    /**
     * The API's way past a migration the engine recorded as failed: the caller must name the failed script
     * ({@code script=…}), which the status shows, so that nothing is removed by accident.
     */
    private void repair(Exchange exchange) throws IOException {
        if (!tokenPresented(exchange)) {
            return;
        }
        HistoryRepair.Result result;
        try {
            result = gate.repair(exchange.remoteAddress(), FormBody.read(exchange).get("script"));
        } catch (SQLException | MigrationException e) {
            problem(exchange, 503, "Service Unavailable", "the database cannot be reached", gate.status().state());
            return;
        }
        switch (result) {
            case REPAIRED:
            case NOTHING_TO_REPAIR:
                Responses.json(exchange, 200, new Json().field("result", result.name())
                        .field("state", gate.status().state().name()));
                break;
            case NOT_CONFIRMED:
                problem(exchange, 409, "Conflict", "name the failed migration to remove its record: script=<the"
                        + " failed script in the status>; make or check a backup first, since its statements may have"
                        + " changed the schema", gate.status().state());
                break;
            default:
                problem(exchange, 409, "Conflict", "an upgrade is running", gate.status().state());
        }
    }

    /** The API's way out of a lock left by a killed or hung upgrade; a live owner's lock is refused. */
    private void releaseLock(Exchange exchange) throws IOException {
        if (!tokenPresented(exchange)) {
            return;
        }
        UpgradeLock.Release result;
        try {
            result = gate.releaseStaleLock(exchange.remoteAddress());
        } catch (SQLException e) {
            problem(exchange, 503, "Service Unavailable", "the database cannot be reached", gate.status().state());
            return;
        }
        if (result == UpgradeLock.Release.REFUSED_LIVE_OWNER) {
            problem(exchange, 409, "Conflict", "the upgrade lock's owner is alive and renewing it; it is not stale",
                    gate.status().state());
        } else {
            Responses.json(exchange, 200, new Json().field("result", result.name())
                    .field("state", gate.status().state().name()));
        }
    }

    /**
     * Answers a request that {@code install.allow} (404) or {@code install.requireSecure} (403) keeps out:
     * the maintenance API and the bypass URL live under the install path, so the same rules guard them.
     *
     * @return whether it did
     */
    public boolean refuses(Exchange exchange) throws IOException {
        if (!allowed(exchange.remoteAddress())) {
            notFound(exchange);
            return true;
        }
        if (!secureEnough(exchange)) {
            forbidden(exchange);
            return true;
        }
        return false;
    }

    private static void forbidden(Exchange exchange) throws IOException {
        Responses.send(exchange, 403, "text/plain;charset=UTF-8", Responses.LOCKED_DOWN_CSP,
                "Forbidden: the install page needs HTTPS.\n".getBytes(StandardCharsets.UTF_8));
    }

    private boolean allowed(String client) {
        if (allow == null) {
            return true;
        }
        for (AddressRange range : allow) {
            if (range.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** Plain HTTP would carry the token and the session in clear; loopback never leaves the machine. */
    private boolean secureEnough(Exchange exchange) {
        return !requireSecure || exchange.secure() || AddressRange.isLoopback(exchange.remoteAddress());
    }

    /** What the webapp would answer if the install directory had been deleted. */
    static void notFound(Exchange exchange) throws IOException {
        Responses.send(exchange, 404, "text/plain;charset=UTF-8", Responses.LOCKED_DOWN_CSP,
                "Not Found\n".getBytes(StandardCharsets.UTF_8));
    }

    private static boolean allow(Exchange exchange, String... methods) throws IOException {
        for (String method : methods) {
            if (method.equals(exchange.method())) {
                return true;
            }
        }
        exchange.header("Allow", String.join(", ", methods));
        problem(exchange, 405, "Method Not Allowed", "use " + String.join(" or ", methods));
        return false;
    }

    private void status(Exchange exchange) throws IOException {
        Status status = gate.status();
        Json json = new Json().field("state", status.state().name());
        if (secureEnough(exchange) && authorized(exchange)) {
            json.field("webapp", gate.webapp().name())
                    .field("engine", gate.engine() == null ? null : gate.engine().name())
                    .field("migrations", gate.engine() == null ? null : gate.engine().location())
                    .field("bundleVersion", status.bundleVersion())
                    .field("bundleVersionSource", gate.bundleVersionSource())
                    .field("schemaVersion", status.schemaVersion())
                    .raw("pendingChangesets", changesets(status.pending()))
                    .field("ahead", status.ahead())
                    .field("lastError", status.lastError());
            UpgradeProgress progress = gate.progress();
            if (progress != null) {
                json.raw("upgrade", progress(progress));
            }
            StringBuilder history = new StringBuilder("[");
            for (UpgradeProgress run : gate.history()) {
                history.append(history.length() > 1 ? "," : "").append(progress(run));
            }
            json.raw("upgrades", history.append(']').toString());
        }
        Responses.json(exchange, 200, json);
    }

    private void upgrade(Exchange exchange) throws IOException {
        if (!tokenPresented(exchange)) {
            return;
        }
        WebappGate.Start start = gate.startUpgrade(exchange.remoteAddress());
        State state = gate.status().state();
        String statusUrl = exchange.contextPath() + gate.installPath() + STATUS;
        switch (start) {
            case STARTED:
                exchange.header("Location", statusUrl);
                Responses.json(exchange, 202, new Json().field("state", state.name()).field("status", statusUrl));
                break;
            case BUSY:
                problem(exchange, 409, "Conflict", "an upgrade is already running", state);
                break;
            case REFUSED:
                problem(exchange, 409, "Conflict", state == State.SCHEMA_NEWER
                        ? "the database is newer than this bundle; deploy the matching bundle instead of upgrading"
                        : "nothing to upgrade in state " + state.name(), state);
                break;
            default:
                problem(exchange, 503, "Service Unavailable", "the database cannot be reached", state);
        }
    }

    /** Whether the request carries the token; if not, it is answered 401 with the Bearer challenge. */
    private boolean tokenPresented(Exchange exchange) throws IOException {
        if (authorized(exchange)) {
            return true;
        }
        exchange.header("WWW-Authenticate", "Bearer realm=\"UpgradeGate\"");
        problem(exchange, 401, "Unauthorized", "send the install token as Authorization: Bearer <token>");
        return false;
    }

    private boolean authorized(Exchange exchange) {
        return gate.tokenMatches(InstallToken.bearer(exchange.header("Authorization")));
    }

    private static String changesets(List<PendingChangeset> pending) {
        if (pending == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder("[");
        for (PendingChangeset changeset : pending) {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(new Json().field("id", changeset.id()).field("author", changeset.author())
                    .field("file", changeset.file()));
        }
        return out.append(']').toString();
    }

    private static String progress(UpgradeProgress progress) {
        return new Json()
                .field("client", progress.client())
                .field("startedMillis", progress.startedMillis())
                .field("finishedMillis", progress.finishedMillis())
                .field("total", progress.total())
                .field("current", progress.current())
                .field("changeset", progress.changeset())
                .field("from", progress.fromVersion())
                .field("to", progress.toVersion())
                .field("ran", ids(progress.ran()))
                .field("result", progress.finishedMillis() == 0 ? "RUNNING" : progress.succeeded() ? "SUCCEEDED" : "FAILED")
                .toString();
    }

    private static List<String> ids(List<PendingChangeset> changesets) {
        List<String> ids = new java.util.ArrayList<>();
        for (PendingChangeset changeset : changesets) {
            ids.add(changeset.id());
        }
        return ids;
    }

    private static void problem(Exchange exchange, int status, String title, String detail) throws IOException {
        problem(exchange, status, title, detail, null);
    }

    private static void problem(Exchange exchange, int status, String title, String detail, State state)
            throws IOException {
        Json json = new Json().field("type", "about:blank").field("status", status).field("title", title)
                .field("detail", detail);
        if (state != null) {
            json.field("state", state.name());
        }
        Responses.send(exchange, status, Responses.PROBLEM_JSON, Responses.LOCKED_DOWN_CSP,
                json.toString().getBytes(StandardCharsets.UTF_8));
    }
}
