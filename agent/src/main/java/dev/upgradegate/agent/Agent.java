package dev.upgradegate.agent;

import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The javaagent's entry: {@code -javaagent:upgradegate-agent.jar=config=/path/upgradegate.properties}, or a
 * dynamic attach. Startup cost is what the host's users pay, so this does almost nothing: it puts the bridge
 * on the boot class path and registers a transformer that only compares class names. The class-file rewriting (Byte Buddy's ASM), the gate
 * and Liquibase are loaded the first time a class the agent instruments is loaded.
 */
public final class Agent {

    private Agent() {
    }

    public static void premain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, false);
    }

    public static void agentmain(String args, Instrumentation instrumentation) {
        start(args, instrumentation, true);
    }

    private static synchronized void start(String args, Instrumentation instrumentation, boolean attached) {
        // A second -javaagent or attach must not gate twice; the property lives as long as the JVM.
        if (System.getProperty("upgradegate.agent.started") != null) {
            // Loggers are made only when something is said: LogManager's start is not the agent's to pay at premain.
            Logger.getLogger("dev.upgradegate")
                    .warning("UpgradeGate agent is already running in this JVM; ignoring another start");
            return;
        }
        try {
            AgentOptions options = AgentOptions.parse(args);
            AgentJar jar = AgentJar.locate();
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar.bridgeJar()));
            TargetWatcher watcher = new TargetWatcher(instrumentation, jar, options);
            instrumentation.addTransformer(watcher, true);
            System.setProperty("upgradegate.agent.started", "true");
            if (attached) {
                watcher.retransformLoaded();
            }
        } catch (Throwable fault) {
            // Whatever goes wrong here, the host JVM must start; it just runs ungated.
            if (fault instanceof VirtualMachineError) {
                throw (VirtualMachineError) fault;
            }
            Logger.getLogger("dev.upgradegate")
                    .log(Level.SEVERE, "UpgradeGate agent did not start; nothing is gated", fault);
        }
    }
}
