package dev.upgradegate.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sees every class the JVM loads, so it must cost next to nothing: it compares internal names with the few in
 * {@link HookedClass} and returns. On the first class the agent instruments, it starts the agent's core (ASM,
 * the gate) in the agent's own class loader and hands it the class, and every later one.
 */
final class TargetWatcher implements ClassFileTransformer {

    private final Instrumentation instrumentation;
    private final AgentJar jar;
    private final AgentOptions options;

    private volatile boolean tomcat;
    private volatile boolean jettyJakarta;
    private volatile ClassFileTransformer core;
    private volatile boolean failed;

    TargetWatcher(Instrumentation instrumentation, AgentJar jar, AgentOptions options) {
        this.instrumentation = instrumentation;
        this.jar = jar;
        this.options = options;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfileBuffer) throws IllegalClassFormatException {
        if (className == null || failed || !isTarget(className)) {
            return null;
        }
        try {
            return core().transform(loader, className, classBeingRedefined, domain, classfileBuffer);
        } catch (Throwable fault) {
            fail(fault);
            return null;
        }
    }

    /** Prefix and suffix tests first: {@link HookedClass#of} only for the few names that could be in its table. */
    private boolean isTarget(String className) {
        if (className.startsWith("org/apache/catalina/")) {
            tomcat = true;
        } else if (className.startsWith("org/eclipse/jetty/ee1")) {
            jettyJakarta = true;
        } else if (!className.endsWith("Servlet") && !className.endsWith("Filter")) {
            return false;
        }
        HookedClass hooked = HookedClass.of(className);
        return hooked != null && hooked.applies(tomcat, jettyJakarta);
    }

    private ClassFileTransformer core() throws Exception {
        ClassFileTransformer started = core;
        if (started == null) {
            synchronized (this) {
                started = core;
                if (started == null) {
                    ClassLoader loader = jar.coreLoader();
                    started = (ClassFileTransformer) loader.loadClass("dev.upgradegate.agent.core.AgentCore")
                            .getMethod("start", Instrumentation.class, String.class, String.class)
                            .invoke(null, instrumentation, jar.path().toString(), options.configFile());
                    core = started;
                }
            }
        }
        return started;
    }

    /** After a dynamic attach: the classes already loaded, instrumented now. */
    void retransformLoaded() throws UnmodifiableClassException {
        List<Class<?>> targets = new ArrayList<>();
        Class<?>[] loaded = instrumentation.getAllLoadedClasses();
        for (Class<?> type : loaded) {
            if (type.getName().startsWith("org.apache.catalina.")) {
                tomcat = true;
            } else if (type.getName().startsWith("org.eclipse.jetty.ee1")) {
                jettyJakarta = true;
            }
        }
        for (Class<?> type : loaded) {
            if (isTarget(type.getName().replace('.', '/')) && instrumentation.isModifiableClass(type)) {
                targets.add(type);
            }
        }
        if (!targets.isEmpty()) {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
        }
        Logger.getLogger("dev.upgradegate")
                .info("UpgradeGate agent attached; instrumented " + targets.size() + " loaded classes");
    }

    private void fail(Throwable fault) {
        if (fault instanceof VirtualMachineError) {
            throw (VirtualMachineError) fault;
        }
        if (!failed) {
            failed = true;
            Logger.getLogger("dev.upgradegate").log(Level.SEVERE,
                    "UpgradeGate agent could not instrument the container; nothing is gated", fault);
        }
    }
}
