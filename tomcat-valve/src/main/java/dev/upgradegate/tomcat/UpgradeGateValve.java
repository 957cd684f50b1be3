package dev.upgradegate.tomcat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.servlet.ServletException;

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

    private final ConcurrentHashMap<Context, WebappGate> gates = new ConcurrentHashMap<>();
    private final LifecycleListener forgetOnStop = this::forgetOnStop;

    private String configFile = DEFAULT_CONFIG_FILE;
    private volatile Gatekeeper gatekeeper;
    private volatile boolean faultLogged;

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
        super.startInternal();
    }

    @Override
    protected void stopInternal() throws LifecycleException {
        super.stopInternal();
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
        Context context = request.getContext();
        WebappGate gate;
        boolean passes;
        try {
            gate = context == null ? null : gateOf(context);
            passes = gate == null || gate.passes(path(request), context.getPath().length());
        } catch (RuntimeException | Error fault) {
            // A fault of ours must not take the webapp down: log it once and let requests through.
            logFault(fault);
            gate = null;
            passes = true;
        }
        if (passes) {
            getNext().invoke(request, response);
        } else {
            gate.handle(new TomcatExchange(request, response));
        }
    }

    /** The decoded URI without copying it: after mapping Tomcat holds it as chars. */
    private static CharSequence path(Request request) {
        MessageBytes uri = request.getDecodedRequestURIMB();
        return uri.getType() == MessageBytes.T_CHARS ? uri.getCharChunk() : uri.toString();
    }

    private WebappGate gateOf(Context context) {
        WebappGate gate = gates.get(context);
        if (gate != null) {
            return gate;
        }
        Gatekeeper keeper = gatekeeper;
        if (keeper == null || context.getState() != LifecycleState.STARTED) {
            return null;
        }
        return gates.computeIfAbsent(context, started -> {
            started.addLifecycleListener(forgetOnStop);
            return keeper.open(new TomcatWebapp(started));
        });
    }

    /** A redeployed or reloaded webapp gets a new gate, which reads its new manifest. */
    private void forgetOnStop(org.apache.catalina.LifecycleEvent event) {
        if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType())) {
            Context context = (Context) event.getLifecycle();
            context.removeLifecycleListener(forgetOnStop);
            gates.remove(context);
        }
    }

    private void logFault(Throwable fault) {
        if (!faultLogged) {
            faultLogged = true;
            LOG.log(Level.SEVERE, "UpgradeGate failed internally; requests pass ungated until restart", fault);
        }
        if (fault instanceof VirtualMachineError) {
            throw (VirtualMachineError) fault;
        }
    }
}
