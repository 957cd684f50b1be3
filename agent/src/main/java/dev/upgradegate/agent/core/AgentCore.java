package dev.upgradegate.agent.core;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;
import java.util.logging.Logger;

import dev.upgradegate.agent.bridge.GateBridge;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

/**
 * The agent once a target class loads: wires the gate into {@link GateBridge} and rewrites each target
 * class with inlined advice. Types are described from class files by name, never loaded, so the advice's
 * servlet and Tomcat types need not be visible here: the advice itself names JDK types only.
 */
public final class AgentCore implements ClassFileTransformer {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    private final ByteBuddy byteBuddy = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            // Retransformation may change method bodies only: no synthetic members.
            .with(Implementation.Context.Disabled.Factory.INSTANCE);
    private final ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(AgentCore.class.getClassLoader());

    private AgentCore() {
    }

    /** Called once, by the launcher, from inside the first target's class load. */
    public static ClassFileTransformer start(Instrumentation instrumentation, String agentJar, String configFile)
            throws Exception {
        TomcatHosts.configure(agentJar, configFile, AgentCore.class.getClassLoader());
        ServletGates.configure(configFile);
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        GateBridge.host = lookup.findStatic(TomcatHosts.class, "gate",
                MethodType.methodType(boolean.class, Object.class, Object.class, Object.class));
        GateBridge.servlet = lookup.findStatic(ServletGates.class, "gate",
                MethodType.methodType(boolean.class, Object.class, Object.class));
        LOG.info("UpgradeGate agent started with " + configFile);
        return new AgentCore();
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) {
        String name = internalName.replace('/', '.');
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, classFile),
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
        TypeDescription type = pool.describe(name).resolve();
        byte[] rewritten = byteBuddy.redefine(type, locator).visit(adviceFor(name)).make(pool).getBytes();
        // One line per target class, a handful per JVM: it tells operators where the gate sits.
        LOG.info("UpgradeGate agent instrumented " + name);
        return rewritten;
    }

    private AsmVisitorWrapper adviceFor(String name) {
        if (name.equals("org.apache.catalina.core.StandardHostValve")) {
            return Advice.to(HostAdvice.class, adviceLocator)
                    .on(named("invoke").and(takesArguments(2))
                            .and(takesArgument(0, named("org.apache.catalina.connector.Request"))));
        }
        if (name.startsWith("org.eclipse.jetty.")) {
            return Advice.to(JettyAdvice.class, adviceLocator)
                    .on(named("handle").and(takesArguments(4)));
        }
        String api = name.substring(0, name.indexOf('.'));
        if (name.endsWith("Filter")) {
            return Advice.to(ServletAdvice.class, adviceLocator)
                    .on(named("doFilter").and(takesArguments(3))
                            .and(takesArgument(0, named(api + ".servlet.ServletRequest"))));
        }
        return Advice.to(ServletAdvice.class, adviceLocator)
                .on(named("service").and(takesArguments(2))
                        .and(takesArgument(0, named(api + ".servlet.ServletRequest"))));
    }
}
