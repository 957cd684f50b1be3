package dev.upgradegate.tomcat;

import java.io.IOException;
import java.util.function.BiPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;

/**
 * How the javaagent reaches a Host's {@link UpgradeGateValve} on every request. The agent's own classes know
 * only JDK types, so it holds this as a {@link BiPredicate}: a plain interface call, where reflection or a
 * proxy next valve would allocate argument arrays on every request.
 */
public final class AgentEntry implements BiPredicate<Object, Object> {

    private final UpgradeGateValve valve;
    private volatile boolean faultLogged;

    public AgentEntry(UpgradeGateValve valve) {
        this.valve = valve;
    }

    /** Whether the gate answered the request; {@code false} lets the Host run as usual. */
    @Override
    public boolean test(Object request, Object response) {
        try {
            return valve.answered((Request) request, (Response) response);
        } catch (IOException clientGone) {
            // Writing the gate's own answer failed: the request was answered, the Host must not run.
            return true;
        } catch (RuntimeException | LinkageError fault) {
            // The valve lets a request pass only for faults before a gate exists; what escapes it failed after,
            // where the valve's own form answers an error too. Returning false would hand the request to the
            // webapp (the agent's bridge passes whatever it is thrown), so answer it here, closed.
            unavailable((Response) response, fault);
            return true;
        }
    }

    private void unavailable(Response response, Throwable fault) {
        if (!faultLogged) {
            faultLogged = true;
            Logger.getLogger("dev.upgradegate").log(Level.SEVERE, "UpgradeGate failed on a request; it gets 503"
                    + " (fail closed). Please report this", fault);
        }
        try {
            response.sendError(503);
        } catch (IOException | RuntimeException unwritable) {
            // Nothing more can be said to this client; the webapp still does not run.
        }
    }
}
