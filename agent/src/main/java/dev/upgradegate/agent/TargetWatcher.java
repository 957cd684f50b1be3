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
 * Sees every class the JVM loads, so it must cost next to nothing: it compares internal names with a few
 * constants and returns. On the first class the agent instruments, it starts the agent's core (ASM,
 * the gate) in the agent's own class loader and hands it the class, and every later one.
 */
final class TargetWatcher implements ClassFileTransformer {

    /** Tomcat's Host entry: gating here runs before any webapp code, filters included. */
    static final String TOMCAT_HOST = "org/apache/catalina/core/StandardHostValve";

    /**
     * Jetty 12's per-dispatch servlet entry (ee10, ee11): it runs before the first filter, so plain {@code Filter}
     * and {@code Servlet} implementations are gated too, at the cost of one class matched by name. And its servlet
     * context, whose start opens the webapp's gate before the first request.
     */
    private static final String[] JETTY_TARGETS = {
        "org/eclipse/jetty/ee10/servlet/ServletHandler$MappedServlet",
        "org/eclipse/jetty/ee11/servlet/ServletHandler$MappedServlet",
        "org/eclipse/jetty/ee10/servlet/ServletContextHandler",
        "org/eclipse/jetty/ee11/servlet/ServletContextHandler",
    };

    /**
     * Elsewhere, the first servlet or filter of a request; skipped in Tomcat, and for jakarta in Jetty ee10/ee11,
     * whose own entries come first.
     */
    private static final String[] SERVLET_TARGETS = {
        "jakarta/servlet/http/HttpServlet", "jakarta/servlet/http/HttpFilter",
        "javax/servlet/http/HttpServlet", "javax/servlet/http/HttpFilter",
    };

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

    private boolean isTarget(String className) {
        if (className.startsWith("org/apache/catalina/")) {
            tomcat = true;
            return className.equals(TOMCAT_HOST);
        }
        if (className.startsWith("org/eclipse/jetty/ee1")) {
            // Jetty ee10/ee11 have their own entry, before any filter: jakarta's HttpServlet and HttpFilter need no
            // hook then. javax (ee8) webapps, which may run in the same Jetty, keep theirs.
            jettyJakarta = true;
            for (String target : JETTY_TARGETS) {
                if (target.equals(className)) {
                    return true;
                }
            }
            return false;
        }
        if (!tomcat && (className.endsWith("Servlet") || className.endsWith("Filter"))
                && !(jettyJakarta && className.startsWith("jakarta/"))) {
            for (String target : SERVLET_TARGETS) {
                if (target.equals(className)) {
                    return true;
                }
            }
        }
        return false;
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
