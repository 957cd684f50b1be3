package dev.upgradegate.tomcat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.ServletException;

import org.apache.catalina.Container;
import org.apache.catalina.ContainerEvent;
import org.apache.catalina.ContainerListener;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.tomcat.util.buf.MessageBytes;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.Readiness;
import dev.upgradegate.gate.http.PathMatch;
import dev.upgradegate.gate.WebappGate;

/**
 * Gates every webapp of a Host: while a webapp's bundle and database schema disagree, its requests get
 * the maintenance page, and its install endpoint runs the upgrade. Place it inside {@code <Host>}:
 *
 * <pre>{@code <Valve className="dev.upgradegate.tomcat.UpgradeGateValve"
 *        configFile="${catalina.base}/conf/upgradegate.properties"/>}</pre>
 *
 * All logic lives in the container-neutral gate; this class only adapts Tomcat's pipeline to it.
 */
public class UpgradeGateValve extends ValveBase {

    private static final Logger LOG = Logger.getLogger(UpgradeGateValve.class.getName());

    static final String DEFAULT_CONFIG_FILE = "conf/upgradegate.properties";

    /**
     * Keyed by the Context's name, unique within a Host, rather than by the Context: the String's hash is
     * cached, while a Context's identity hash code costs a call into the VM on every request once Tomcat has
     * used the Context's monitor (seen in the pass-through profile, docs/benchmarks.md).
     */
    private final ConcurrentHashMap<String, Opened> gates = new ConcurrentHashMap<>();
    private final LifecycleListener forgetOnStop = this::forgetOnStop;
    private final LifecycleListener openOnStart = this::openOnStart;
    private final ContainerListener watchContexts = this::watchContexts;

    private String configFile = DEFAULT_CONFIG_FILE;
    private volatile Gatekeeper gatekeeper;
    private volatile boolean faultLogged;
    private volatile String healthPath;
    private volatile GateMBeans mbeans;

    public UpgradeGateValve() {
        super(true);
    }

    /** The properties file; relative paths are resolved against {@code catalina.base}. */
    public String getConfigFile() {
        return configFile;
    }

    public void setConfigFile(String configFile) {
        this.configFile = configFile;
    }

    @Override
    protected void startInternal() throws LifecycleException {
        gatekeeper = Gatekeeper.start(resolve(configFile));
        healthPath = gatekeeper.settings().healthPath();
        mbeans = new GateMBeans(getDomain(), getContainer().getName());
        mbeans.registerHost(this::openGates);
        super.startInternal();
        // Gates open as webapps start, not on their first request, so that readiness and JMX see them all.
        getContainer().addContainerListener(watchContexts);
        for (Container child : getContainer().findChildren()) {
            watch(child);
        }
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        super.stopInternal();
        getContainer().removeContainerListener(watchContexts);
        for (Container child : getContainer().findChildren()) {
            child.removeLifecycleListener(openOnStart);
        }
        for (Opened opened : gates.values()) {
            mbeans.unregister(opened.context.getPath());
        }
        mbeans.unregisterHost();
        gates.clear();
        Gatekeeper stopping = gatekeeper;
        gatekeeper = null;
        if (stopping != null) {
            stopping.close();
        }
    }

    static Path resolve(String file) {
        Path path = Path.of(file);
        String base = System.getProperty("catalina.base");
        return path.isAbsolute() || base == null ? path : Path.of(base).resolve(path);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        if (!answered(request, response)) {
            getNext().invoke(request, response);
        }
    }

    /**
     * Whether the gate answered the request itself (maintenance page, install endpoint, health URL);
     * {@code false} lets it through. The javaagent calls this at Tomcat's Host entry (see {@link AgentEntry}).
     */
    public boolean answered(Request request, Response response) throws IOException {
        if (request.getAsyncContextInternal() != null) {
            // An async dispatch: Tomcat sends it through the Host again (its dispatcher type is still
            // REQUEST here). The request was let through when it came, and a 503 now would land in the
            // middle of the webapp's own answer.
            return false;
        }
        String health = healthPath;
        if (health != null && PathMatch.equals(path(request), health)) {
            health(request, response);
            return true;
        }
        Context context = request.getContext();
        WebappGate gate;
        try {
            gate = context == null ? null : gateOf(context);
        } catch (RuntimeException | LinkageError fault) {
            // Before a gate exists nothing says the webapp is gated: let it through, and say so once.
            logFault(fault);
            return false;
        }
        return gate != null && gate.answered(path(request), context.getPath().length(), request, response,
                TomcatExchange::new);
    }

    /** Readiness of the whole host, for load balancers: it answers whichever webapp the path falls in. */
    private void health(Request request, Response response) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setStatus(405);
            response.setHeader("Allow", "GET, HEAD");
            return;
        }
        for (Container child : getContainer().findChildren()) {
            if (child.getState() == LifecycleState.STARTED) {
                gateOf((Context) child);
            }
        }
        Readiness readiness = Readiness.of(openGates());
        response.setStatus(readiness.httpStatus());
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(readiness.body().length);
        if ("GET".equals(method)) {
            response.getOutputStream().write(readiness.body());
        }
    }

    /** The decoded URI without copying it: after mapping Tomcat holds it as chars. */
    private static CharSequence path(Request request) {
        MessageBytes uri = request.getDecodedRequestURIMB();
        return uri.getType() == MessageBytes.T_CHARS ? uri.getCharChunk() : uri.toString();
    }

    private WebappGate gateOf(Context context) {
        Opened opened = gates.get(context.getName());
        if (opened != null && opened.context == context) {
            return opened.gate;
        }
        Gatekeeper keeper = gatekeeper;
        if (keeper == null || !context.getState().isAvailable()) {
            return null;
        }
        return gates.compute(context.getName(), (name, previous) -> {
            if (previous != null && previous.context == context) {
                return previous;
            }
            // A previous Context of that name that never announced its stop: its gate must not serve this one.
            if (previous != null) {
                mbeans.unregister(previous.context.getPath());
            }
            context.addLifecycleListener(forgetOnStop);
            WebappGate gate = keeper.open(new TomcatWebapp(context));
            mbeans.register(gate);
            return new Opened(context, gate);
        }).gate;
    }

    private List<WebappGate> openGates() {
        List<WebappGate> open = new ArrayList<>(gates.size());
        for (Opened opened : gates.values()) {
            open.add(opened.gate);
        }
        return open;
    }

    /** A webapp's gate with the very Context it was opened for. */
    private static final class Opened {
        final Context context;
        final WebappGate gate;

        Opened(Context context, WebappGate gate) {
            this.context = context;
            this.gate = gate;
        }
    }

    private void watchContexts(ContainerEvent event) {
        if (Container.ADD_CHILD_EVENT.equals(event.getType())) {
            watch((Container) event.getData());
        } else if (Container.REMOVE_CHILD_EVENT.equals(event.getType())) {
            ((Container) event.getData()).removeLifecycleListener(openOnStart);
        }
    }

    private void watch(Container child) {
        if (child instanceof Context) {
            child.addLifecycleListener(openOnStart);
            if (child.getState() == LifecycleState.STARTED) {
                openQuietly((Context) child);
            }
        }
    }

    /**
     * At START_EVENT, the end of the context's own start: its class loader, resources and naming are ready, and
     * Tomcat's mapper has not yet routed a request to it (it does at AFTER_START_EVENT, in whatever order the
     * listeners were added; the agent's valve starts after the mapper's). Waiting for the first check here keeps
     * even the first visitors of a redeployed webapp from meeting STARTING.
     */
    private void openOnStart(org.apache.catalina.LifecycleEvent event) {
        if (Lifecycle.START_EVENT.equals(event.getType())) {
            openQuietly((Context) event.getLifecycle());
        }
    }

    /** On the deploying thread, so that a healthy webapp's first request already meets its real state. */
    private void openQuietly(Context context) {
        try {
            WebappGate gate = gateOf(context);
            if (gate != null) {
                gate.awaitFirstCheck();
            }
        } catch (RuntimeException | LinkageError fault) {
            logFault(fault);
        }
    }

    /** A redeployed or reloaded webapp gets a new gate, which reads its new manifest. */
    private void forgetOnStop(org.apache.catalina.LifecycleEvent event) {
        if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType())) {
            Context context = (Context) event.getLifecycle();
            context.removeLifecycleListener(forgetOnStop);
            Opened opened = gates.get(context.getName());
            if (opened != null && opened.context == context && gates.remove(context.getName(), opened)) {
                mbeans.unregister(context.getPath());
            }
        }
    }

    private void logFault(Throwable fault) {
        if (!faultLogged) {
            faultLogged = true;
            LOG.log(Level.SEVERE, "UpgradeGate cannot open a webapp's gate; that webapp passes ungated", fault);
        }
    }
}
