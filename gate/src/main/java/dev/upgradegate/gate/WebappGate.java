package dev.upgradegate.gate;

import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.db.WebappDatabase;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.MaintenanceResponses;
import dev.upgradegate.gate.http.PathMatch;
import dev.upgradegate.gate.install.InstallEndpoint;
import dev.upgradegate.gate.install.WebappParts;
import dev.upgradegate.gate.maintenance.BypassCookie;
import dev.upgradegate.gate.maintenance.IgnoredPaths;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.gate.maintenance.MaintenancePage;
import dev.upgradegate.gate.maintenance.ManualMaintenance;
import dev.upgradegate.gate.security.BearerCheck;
import dev.upgradegate.gate.security.InstallAccess;
import dev.upgradegate.gate.security.InstallToken;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.status.StatusMonitor;
import dev.upgradegate.gate.upgrade.UpgradeRunner;
import dev.upgradegate.gate.webapp.Bundle;
import dev.upgradegate.gate.webapp.Webapp;

/**
 * The gate of one deployed webapp: it wires the pieces that keep it (see {@link WebappParts}) and runs the
 * request protocol every adapter follows, {@link #answered}: {@link #route} decides from the path and the
 * cached state, allocating nothing, and {@link #answer} answers what does not pass.
 */
public final class WebappGate {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    private final Webapp webapp;
    private final String installPath;
    private final MaintenanceResponses responses;
    private final StatusMonitor monitor;
    private final WebappParts parts;
    private final IgnoredPaths ignored;
    private final MaintenancePage page;
    private final InstallEndpoint install;
    private final MaintenanceEndpoint maintenanceEndpoint;
    private volatile boolean faultLogged;

    WebappGate(Webapp webapp, AppSettings settings, Gatekeeper host, InstallToken token) {
        GateSettings hostSettings = host.settings();
        this.webapp = webapp;
        this.installPath = hostSettings.installPath();
        this.responses = host.maintenance();
        WebappDatabase database = WebappDatabase.of(webapp, settings, hostSettings.dbTimeoutSeconds());
        Bundle bundle = Bundle.read(webapp, settings);
        this.page = new MaintenancePage(webapp.name(), settings.maintenancePage(), responses);
        this.monitor = new StatusMonitor(webapp.name(), settings, bundle, database, hostSettings.refreshSeconds(),
                hostSettings.lockStaleSeconds(), host.executor(), page::reloadIfChanged);
        UpgradeRunner upgrades = new UpgradeRunner(webapp.name(), bundle, database, monitor, host.executor(),
                hostSettings.lockStaleSeconds());
        ManualMaintenance maintenance = new ManualMaintenance(webapp.name(), database, monitor);
        BearerCheck bearer = new BearerCheck(host.guesses(), host.clients(), token);
        InstallAccess access = new InstallAccess(hostSettings.installAllow(), hostSettings.requireSecure(),
                host.clients());
        this.parts = new WebappParts(webapp, settings, hostSettings, bundle, database, monitor, upgrades, maintenance,
                bearer, access);
        this.ignored = IgnoredPaths.of(settings.ignore(), installPath);
        this.install = new InstallEndpoint(parts, responses);
        this.maintenanceEndpoint = new MaintenanceEndpoint(webapp.name(), installPath, monitor, maintenance, bearer);
    }

    /** Makes the gate's view of a container's request, only when the gate answers it. */
    public interface Exchanges<Q, R> {
        Exchange of(Q request, R response);
    }

    /**
     * The request protocol, the same for every adapter: whether the gate answered the request itself
     * ({@code true}) or it goes on to the webapp. Allocates nothing when the request passes. A fault of the
     * gate answers the maintenance page, as MISCONFIGURED: a gated webapp never fails open.
     *
     * @param requestPath the decoded request URI, context path included
     * @param contextPathLength the length of the context path at its start
     * @throws IOException when the gate's answer could not be written: the request is answered all the same
     */
    public <Q, R> boolean answered(CharSequence requestPath, int contextPathLength, Q request, R response,
                                   Exchanges<Q, R> exchanges) throws IOException {
        Exchange exchange = null;
        try {
            Route route = route(requestPath, contextPathLength);
            if (route == Route.PASS) {
                return false;
            }
            exchange = exchanges.of(request, response);
            return answer(route, exchange);
        } catch (RuntimeException | LinkageError | AssertionError fault) {
            failClosed(fault, exchange != null ? exchange : exchanges.of(request, response));
            return true;
        }
    }

    /**
     * The per-request decision, on every request: it reads only cached state, and starts a background check
     * when that is stale.
     *
     * @param requestPath the decoded request URI, context path included
     * @param contextPathLength the length of the context path at its start
     */
    public Route route(CharSequence requestPath, int contextPathLength) {
        if (!monitor.gated()) {
            return Route.PASS;
        }
        boolean up = monitor.currentStatus().state() == State.UP;
        int below = PathMatch.below(requestPath, contextPathLength, installPath);
        if (!up) {
            return ignored.matches(requestPath, contextPathLength) ? Route.PASS
                    : below < 0 ? Route.PAGE : installRoute(requestPath, below);
        }
        // Under the install path of an UP webapp only these stay with the gate; the rest reaches the webapp.
        // The wizard's last pages stay too, so that a reloaded progress or result page never meets a raw 404.
        if (below < 0 || !(PathMatch.isExactly(requestPath, below, InstallEndpoint.STATUS)
                || MaintenanceEndpoint.isMaintenance(requestPath, below)
                || PathMatch.isExactly(requestPath, below, InstallEndpoint.RESULT)
                || PathMatch.isExactly(requestPath, below, InstallEndpoint.PROGRESS)
                || PathMatch.isExactly(requestPath, below, InstallEndpoint.PROGRESS_JSON))) {
            return Route.PASS;
        }
        return installRoute(requestPath, below);
    }

    private static Route installRoute(CharSequence requestPath, int below) {
        return MaintenanceEndpoint.owns(requestPath, below) ? Route.MAINTENANCE : Route.INSTALL;
    }

    /** Whether the per-request decision lets the request through untouched: {@link #route} is {@link Route#PASS}. */
    public boolean passes(CharSequence requestPath, int contextPathLength) {
        return route(requestPath, contextPathLength) == Route.PASS;
    }

    /**
     * Answers a request that {@link #route} stopped, unless a valid bypass cookie lets it through while the
     * webapp is in manual maintenance.
     *
     * @return whether the gate answered it; {@code false} sends it on to the webapp
     */
    public boolean answer(Route route, Exchange exchange) throws IOException {
        Status current = monitor.status();
        Maintenance manual = monitor.maintenance();
        if (manual != null && current.state() == State.MAINTENANCE && BypassCookie.valid(
                exchange.cookie(BypassCookie.NAME), webapp.name(), manual, System.currentTimeMillis())) {
            return false;
        }
        switch (route) {
            case INSTALL:
                install.handle(exchange, exchange.path().substring(installPath.length()));
                break;
            case MAINTENANCE:
                if (!parts.access().refuses(exchange)) {
                    maintenanceEndpoint.handle(exchange, exchange.path().substring(installPath.length()));
                }
                break;
            default:
                page.write(exchange, current.state(), manual);
        }
        return true;
    }

    /**
     * Answers a request of this webapp with the maintenance page, as MISCONFIGURED, after a fault: what
     * {@link #answered} does for faults inside it, for an adapter whose own work around it failed (the agent's
     * servlet path, where reading the request can throw). Logged once.
     */
    public void failClosed(Throwable fault, Exchange exchange) throws IOException {
        if (!faultLogged) {
            faultLogged = true;
            LOG.log(Level.SEVERE, webapp.name() + ": UpgradeGate failed on a request; its requests get the"
                    + " maintenance page (fail closed). Please report this", fault);
        }
        responses.write(exchange, State.MISCONFIGURED);
    }

    /** Starts the first check, in the background. */
    void start() {
        monitor.start();
    }

    /** See {@link StatusMonitor#awaitFirstCheck}: for deploy threads, never request threads. */
    public boolean awaitFirstCheck() {
        return monitor.awaitFirstCheck();
    }

    /** Whether this webapp has a database to guard at all. */
    public boolean gated() {
        return monitor.gated();
    }

    public Webapp webapp() {
        return webapp;
    }

    /** The pieces that keep this gate, for monitors, JMX and the CLI. */
    public WebappParts parts() {
        return parts;
    }
}
