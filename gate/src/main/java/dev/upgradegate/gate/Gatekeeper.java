package dev.upgradegate.gate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.config.LastGoodConfiguration;
import dev.upgradegate.gate.http.ClientAddress;
import dev.upgradegate.gate.http.MaintenanceResponses;
import dev.upgradegate.gate.security.GuessLimiter;
import dev.upgradegate.gate.security.InstallToken;
import dev.upgradegate.gate.webapp.Bundle;
import dev.upgradegate.gate.webapp.Webapp;

/**
 * UpgradeGate for one host: its settings, its install token, and the threads that refresh states and
 * run upgrades. A container makes one when it starts and asks it for a {@link WebappGate} for each
 * webapp it deploys.
 */
public final class Gatekeeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    /** Seconds an idle background thread lingers before it ends. */
    private static final long IDLE_THREAD_SECONDS = 30;

    private final GateSettings settings;
    private final InstallToken hostToken;
    private final MaintenanceResponses maintenance;
    private final ExecutorService executor;
    /** One for the host: a guesser must not get a fresh allowance per webapp. */
    private final GuessLimiter guesses;
    private final ClientAddress clients;

    private Gatekeeper(GateSettings settings, InstallToken hostToken) {
        this.settings = settings;
        this.hostToken = hostToken;
        this.maintenance = new MaintenanceResponses(settings.retryAfterSeconds());
        this.guesses = new GuessLimiter(settings.signInLimit(), settings.guessLimitGlobal());
        this.clients = new ClientAddress(settings.trustedProxies());
        this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new WorkerFactory());
    }

    /**
     * Starts from the configuration file. Never throws for a bad file: the problem is logged, naming the
     * file, line and key, and the webapps it concerns answer MISCONFIGURED, unless the last good copy
     * stands in ({@link LastGoodConfiguration}).
     */
    public static Gatekeeper start(Path configFile) {
        return start(LastGoodConfiguration.load(configFile));
    }

    public static Gatekeeper start(GateSettings settings) {
        if (settings.problem() != null) {
            LOG.severe("UpgradeGate configuration error, every gated webapp answers MISCONFIGURED: "
                    + settings.problem());
        }
        for (String warning : settings.warnings()) {
            LOG.warning("UpgradeGate configuration: " + warning);
        }
        return new Gatekeeper(settings, hostToken(settings));
    }

    private static InstallToken hostToken(GateSettings settings) {
        String configured = settings.installToken();
        if (configured != null) {
            return InstallToken.of(configured);
        }
        Path file = settings.tokenFile();
        try {
            InstallToken generated = InstallToken.generate(file);
            LOG.info("UpgradeGate install token generated; it is in " + file.toAbsolutePath()
                    + " (readable by its owner only)");
            return generated;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot write the UpgradeGate install token to " + file.toAbsolutePath()
                    + "; set install.token, or make the file writable. Install endpoints refuse every token until then: "
                    + e);
            return null;
        }
    }

    /**
     * The gate of a webapp the container has just started. Cheap: its first check of the database starts in
     * the background (see {@link WebappGate#awaitFirstCheck}). Never throws for a webapp's settings or bundle:
     * what cannot be read makes the gate MISCONFIGURED, so that the webapp stays closed.
     */
    public WebappGate open(Webapp webapp) {
        WebappGate gate;
        AppSettings app;
        try {
            app = settings.forApp(webapp.name());
            gate = new WebappGate(webapp, app, this, tokenFor(app));
        } catch (RuntimeException | LinkageError fault) {
            LOG.log(Level.SEVERE, webapp.name() + ": UpgradeGate cannot open its gate; it stays closed", fault);
            app = AppSettings.misconfigured(webapp.name() + ": UpgradeGate cannot open its gate: " + fault);
            gate = new WebappGate(webapp, app, this, hostToken);
        }
        if (!app.gated()) {
            LOG.info(() -> webapp.name() + ": not gated (no datasource or jdbc.url configured)");
        } else if (app.problem() != null && settings.problem() == null) {
            LOG.severe(webapp.name() + ": configuration error: " + app.problem());
        }
        logGated(webapp, app, gate);
        gate.start();
        return gate;
    }

    private static void logGated(Webapp webapp, AppSettings app, WebappGate gate) {
        Bundle bundle = gate.parts().bundle();
        if (bundle.engine() != null) {
            // The one line that tells an operator, after every (re)deploy, that the gate is on and what it reads.
            LOG.info(() -> webapp.name() + ": gated; database " + (app.datasource() != null
                    ? "java:comp/env/" + app.datasource() : withoutSecrets(app.jdbcUrl())) + "; " + bundle.engine().name()
                    + " " + bundle.engine().location() + "; bundle " + bundle.version() + " ("
                    + bundle.versionSource() + ")");
        }
    }

    private InstallToken tokenFor(AppSettings app) {
        return app.installToken() != null ? InstallToken.of(app.installToken()) : hostToken;
    }

    /** A JDBC URL without what may carry a credential: its parameters and any user information. */
    static String withoutSecrets(String jdbcUrl) {
        String url = jdbcUrl;
        int query = url.indexOf('?');
        url = query < 0 ? url : url.substring(0, query);
        int semicolon = url.indexOf(';');
        url = semicolon < 0 ? url : url.substring(0, semicolon);
        int at = url.lastIndexOf('@');
        int authority = url.indexOf("//");
        return at > authority && authority >= 0 ? url.substring(0, authority + 2) + url.substring(at + 1) : url;
    }

    public GateSettings settings() {
        return settings;
    }

    MaintenanceResponses maintenance() {
        return maintenance;
    }

    ExecutorService executor() {
        return executor;
    }

    GuessLimiter guesses() {
        return guesses;
    }

    ClientAddress clients() {
        return clients;
    }

    /** Stops the background threads; an upgrade in progress is interrupted. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Daemon threads that pin no webapp's class loader. */
    private static final class WorkerFactory implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "upgradegate-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setContextClassLoader(Gatekeeper.class.getClassLoader());
            return thread;
        }
    }
}
