package dev.upgradegate.agent.bridge;

import java.lang.invoke.MethodHandle;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one agent class on the boot class path, so the advice inlined into any container class, whatever its
 * class loader, can reach the gate. It names JDK types only: the gate itself lives in the agent's own class
 * loaders and plugs in through the two handles. Until they are set, and whenever they fail, requests pass.
 */
public final class GateBridge {

    /** {@code (Object hostValve, Object request, Object response) boolean}: whether the gate answered. */
    public static volatile MethodHandle host;

    /** {@code (Object request, Object response) boolean}: whether the gate answered. */
    public static volatile MethodHandle servlet;

    private static volatile boolean faultLogged;

    private GateBridge() {
    }

    public static boolean host(Object hostValve, Object request, Object response) {
        MethodHandle handle = host;
        if (handle == null) {
            return false;
        }
        try {
            return (boolean) handle.invokeExact(hostValve, request, response);
        } catch (Throwable fault) {
            return fault(fault);
        }
    }

    public static boolean servlet(Object request, Object response) {
        MethodHandle handle = servlet;
        if (handle == null) {
            return false;
        }
        try {
            return (boolean) handle.invokeExact(request, response);
        } catch (Throwable fault) {
            return fault(fault);
        }
    }

    /** The agent fails open for its own faults: the request passes, and the log says so once. */
    private static boolean fault(Throwable fault) {
        if (fault instanceof VirtualMachineError) {
            throw (VirtualMachineError) fault;
        }
        if (!faultLogged) {
            faultLogged = true;
            Logger.getLogger("dev.upgradegate").log(Level.SEVERE,
                    "UpgradeGate agent failed internally; requests pass ungated", fault);
        }
        return false;
    }
}
