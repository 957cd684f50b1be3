package dev.upgradegate.agent.bridge;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one agent class on the boot class path, so the code prepended to any container class, whatever its
 * class loader, can reach the gate. It names JDK types only: the gate itself lives in the agent's own class
 * loaders and plugs in as a {@link Gate}. Until it is set, requests pass.
 *
 * <p>Once a gated webapp's gate exists, the gate answers its own faults (the maintenance page, fail closed). A
 * fault that reaches this class came before UpgradeGate knew whether the webapp is gated at all: that request
 * passes, and the log says so once.
 */
public final class GateBridge {

    /**
     * What the agent's core implements. An interface rather than method handles: a plain interface call
     * spins no lambda forms, which cost startup time (a hundred generated classes on Tomcat's first request).
     */
    public interface Gate {

        /** Whether the gate answered the request at Tomcat's Host entry ({@code StandardHostValve#invoke}). */
        boolean host(Object hostValve, Object request, Object response) throws Throwable;

        /**
         * Whether the gate answered the request at Jetty's per-dispatch servlet entry.
         *
         * @param pathInContext Jetty's decoded path inside the webapp
         */
        boolean dispatch(String pathInContext, Object request, Object response) throws Throwable;

        /** Whether the gate answered the request at a filter or servlet, elsewhere. */
        boolean fallback(Object request, Object response) throws Throwable;

        /** A Jetty servlet context is starting its webapp ({@code ServletContextHandler#contextInitialized}). */
        void started(Object contextHandler) throws Throwable;
    }

    public static volatile Gate gate;

    private static volatile boolean faultLogged;

    private GateBridge() {
    }

    public static boolean host(Object hostValve, Object request, Object response) {
        Gate current = gate;
        if (current == null) {
            return false;
        }
        try {
            return current.host(hostValve, request, response);
        } catch (Throwable fault) {
            return fault(fault);
        }
    }

    public static boolean dispatch(String pathInContext, Object request, Object response) {
        Gate current = gate;
        if (current == null) {
            return false;
        }
        try {
            return current.dispatch(pathInContext, request, response);
        } catch (Throwable fault) {
            return fault(fault);
        }
    }

    public static boolean fallback(Object request, Object response) {
        Gate current = gate;
        if (current == null) {
            return false;
        }
        try {
            return current.fallback(request, response);
        } catch (Throwable fault) {
            return fault(fault);
        }
    }

    /** Never fails the deploy: a gate that cannot open now opens, or fails, on the webapp's first request. */
    public static void started(Object contextHandler) {
        Gate current = gate;
        if (current == null) {
            return;
        }
        try {
            current.started(contextHandler);
        } catch (Throwable fault) {
            if (fault instanceof VirtualMachineError) {
                throw (VirtualMachineError) fault;
            }
            Logger.getLogger("dev.upgradegate").log(Level.WARNING, "UpgradeGate agent could not open a webapp's gate"
                    + " as it started; it opens on the webapp's first request", fault);
        }
    }

    private static boolean fault(Throwable fault) {
        if (fault instanceof VirtualMachineError) {
            throw (VirtualMachineError) fault;
        }
        if (!faultLogged) {
            faultLogged = true;
            Logger.getLogger("dev.upgradegate").log(Level.SEVERE, "UpgradeGate agent failed before it knew whether"
                    + " the webapp is gated; such requests pass ungated. Please report this", fault);
        }
        return false;
    }
}
