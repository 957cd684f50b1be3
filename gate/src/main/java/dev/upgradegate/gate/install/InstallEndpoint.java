package dev.upgradegate.gate.install;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.http.MaintenanceResponses;
import dev.upgradegate.gate.http.PathMatch;
import dev.upgradegate.gate.http.Problem;
import dev.upgradegate.gate.http.RequestFields;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.gate.security.BearerCheck;
import dev.upgradegate.gate.security.GuessLimiter;
import dev.upgradegate.gate.security.InstallAccess;
import dev.upgradegate.gate.security.InstallToken;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.upgrade.UpgradeRunner;
import dev.upgradegate.migrations.ClusterState;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * The install endpoint of one webapp, {@code {context}{install.path}/…}: {@code GET status} for anyone,
 * {@code POST upgrade} with the token. While the webapp is UP only {@code status} answers here (the
 * maintenance API, the wizard's result page once, and then its progress and result pages as a short
 * "the upgrade is done" for stale links, are let through too); everything else under the path reaches
 * the webapp, as if the install directory had been deleted.
 */
public final class InstallEndpoint {

    public static final String STATUS = "/status";
    static final String UPGRADE = "/upgrade";
    static final String RELEASE_LOCK = "/release-lock";
    static final String REPAIR = "/repair";
    public static final String RESULT = "/result";
    public static final String PROGRESS = "/progress";
    public static final String PROGRESS_JSON = "/progress.json";

    private final WebappParts gate;
    private final MaintenanceResponses maintenance;
    private volatile Wizard wizard;

    public InstallEndpoint(WebappParts gate, MaintenanceResponses maintenance) {
        this.gate = gate;
        this.maintenance = maintenance;
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

    /** @param rest the path below the install path: empty, {@code /status}, {@code /upgrade}, … */
    public void handle(Exchange exchange, String rest) throws IOException {
        String resource = PathMatch.resource(rest);
        if (!gate.access().allowed(exchange)) {
            InstallAccess.notFound(exchange);
            return;
        }
        if (STATUS.equals(resource)) {
            if (allow(exchange, "GET", "HEAD")) {
                status(exchange);
            }
            return;
        }
        if (!gate.access().secureEnough(exchange)) {
            InstallAccess.forbidden(exchange);
            return;
        }
        if (gate.monitor().status().state() == State.UP) {
            // The wizard's one-time success page; then stale links to its last pages learn that the upgrade is done.
            if (RESULT.equals(resource) && gate.upgrades().resultOpen() && wizard().handle(exchange, resource)) {
                return;
            }
            if (UpgradeDone.answers(resource)) {
                UpgradeDone.send(exchange, gate, resource);
            } else {
                InstallAccess.notFound(exchange);
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
            maintenance.write(exchange, gate.monitor().status().state());
        }
    }

    /**
     * The API's way past a migration the engine recorded as failed: the caller must name the failed script
     * ({@code script=…}), which the status shows, so that nothing is removed by accident.
     */
    private void repair(Exchange exchange) throws IOException {
        if (!gate.bearer().admits(exchange)) {
            return;
        }
        HistoryRepair.Result result;
        try {
            result = gate.upgrades().repair(gate.bearer().client(exchange), RequestFields.form(exchange).get("script"));
        } catch (SQLException | MigrationException e) {
            Problem.send(exchange, 503, "Service Unavailable", "the database cannot be reached", gate.monitor().status().state());
            return;
        }
        switch (result) {
            case REPAIRED:
            case NOTHING_TO_REPAIR:
                Responses.json(exchange, 200, new Json().field("result", result.name())
                        .field("state", gate.monitor().status().state().name()));
                break;
            case NOT_CONFIRMED:
                Problem.send(exchange, 409, "Conflict", "name the failed migration to remove its record: script=<the"
                        + " failed script in the status>; make or check a backup first, since its statements may have"
                        + " changed the schema", gate.monitor().status().state());
                break;
            default:
                Problem.send(exchange, 409, "Conflict", "an upgrade is running", gate.monitor().status().state());
        }
    }

    /** The API's way out of a lock left by a killed or hung upgrade; a live owner's lock is refused. */
    private void releaseLock(Exchange exchange) throws IOException {
        if (!gate.bearer().admits(exchange)) {
            return;
        }
        UpgradeLock.Release result;
        try {
            result = gate.upgrades().releaseStaleLock(gate.bearer().client(exchange));
        } catch (SQLException e) {
            Problem.send(exchange, 503, "Service Unavailable", "the database cannot be reached", gate.monitor().status().state());
            return;
        }
        if (result == UpgradeLock.Release.REFUSED_LIVE_OWNER) {
            Problem.send(exchange, 409, "Conflict", "the upgrade lock's owner is alive and renewing it; it is not stale",
                    gate.monitor().status().state());
        } else {
            Responses.json(exchange, 200, new Json().field("result", result.name())
                    .field("state", gate.monitor().status().state().name()));
        }
    }

    private static boolean allow(Exchange exchange, String... methods) throws IOException {
        for (String method : methods) {
            if (method.equals(exchange.method())) {
                return true;
            }
        }
        exchange.header("Allow", String.join(", ", methods));
        Problem.send(exchange, 405, "Method Not Allowed", "use " + String.join(" or ", methods));
        return false;
    }

    private void status(Exchange exchange) throws IOException {
        boolean detail = false;
        String presented = InstallToken.bearer(exchange.header("Authorization"));
        // A token on status is checked as anywhere else: a wrong one would otherwise make status an oracle.
        if (presented != null && gate.access().secureEnough(exchange)) {
            GuessLimiter.Verdict verdict = gate.bearer().verdict(exchange, presented);
            if (verdict.retryAfterSeconds() > 0) {
                BearerCheck.tooManyGuesses(exchange, verdict);
                return;
            }
            detail = verdict.right();
        }
        Status status = gate.monitor().status();
        Json json = new Json().field("state", status.state().name());
        if (detail) {
            json.field("webapp", gate.webapp().name())
                    .field("engine", gate.bundle().engine() == null ? null : gate.bundle().engine().name())
                    .field("migrations", gate.bundle().engine() == null ? null : gate.bundle().engine().location())
                    .field("bundleVersion", status.bundleVersion())
                    .field("bundleVersionSource", gate.bundle().versionSource())
                    .field("schemaVersion", status.schemaVersion())
                    .array("pendingChangesets", status.pending(), InstallEndpoint::changeset)
                    .field("ahead", status.ahead())
                    .field("lastError", status.lastError());
            ClusterState cluster = gate.monitor().cluster();
            if (cluster.cluster()) {
                json.field("cluster", cluster(cluster));
            }
            UpgradeProgress progress = gate.upgrades().progress();
            if (progress != null) {
                json.field("upgrade", progress(progress));
            }
            json.array("upgrades", gate.upgrades().history(), InstallEndpoint::progress);
        }
        Responses.json(exchange, 200, json);
    }

    private void upgrade(Exchange exchange) throws IOException {
        if (!gate.bearer().admits(exchange)) {
            return;
        }
        UpgradeRunner.Start start = gate.upgrades().start(gate.bearer().client(exchange), false);
        State state = gate.monitor().status().state();
        String statusUrl = exchange.contextPath() + gate.installPath() + STATUS;
        switch (start) {
            case STARTED:
                exchange.header("Location", statusUrl);
                Responses.json(exchange, 202, new Json().field("state", state.name()).field("status", statusUrl));
                break;
            case BUSY:
                Problem.send(exchange, 409, "Conflict", "an upgrade is already running", state);
                break;
            case REFUSED:
                Problem.send(exchange, 409, "Conflict", refusal(state), state);
                break;
            default:
                Problem.send(exchange, 503, "Service Unavailable", "the database cannot be reached", state);
        }
    }

    private String refusal(State state) {
        if (state == State.SCHEMA_NEWER) {
            return "the database is newer than this bundle; deploy the matching bundle instead of upgrading";
        }
        String node = gate.monitor().cluster().refusal();
        return state.upgradable() && node != null ? "the upgrade cannot start through this node: " + node
                : "nothing to upgrade in state " + state.name();
    }

    /** A Galera node as the status shows it. */
    private static Json cluster(ClusterState cluster) {
        return new Json().field("size", cluster.size())
                .field("nodeState", cluster.nodeState())
                .field("primary", cluster.primary())
                .field("osuMethod", cluster.osuMethod())
                .field("upgradeRefused", cluster.refusal());
    }

    /** A pending changeset as the status and the CLI's {@code --json} list it. */
    public static Json changeset(PendingChangeset changeset) {
        return new Json().field("id", changeset.id()).field("author", changeset.author()).field("file", changeset.file());
    }

    private static Json progress(UpgradeProgress progress) {
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
                .field("result", progress.finishedMillis() == 0 ? "RUNNING" : progress.succeeded() ? "SUCCEEDED" : "FAILED");
    }

    private static List<String> ids(List<PendingChangeset> changesets) {
        List<String> ids = new java.util.ArrayList<>();
        for (PendingChangeset changeset : changesets) {
            ids.add(changeset.id());
        }
        return ids;
    }
}
