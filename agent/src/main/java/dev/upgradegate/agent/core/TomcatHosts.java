package dev.upgradegate.agent.core;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.jar.JarFile;

import dev.upgradegate.agent.NestedClassLoader;

/**
 * Tomcat's side of the agent: each Host gets the very {@code UpgradeGateValve} of the valve jar (the jakarta
 * one for Tomcat 10.1 and 11, the javax one for Tomcat 9), loaded beside Tomcat's own classes and started on
 * that Host, so the agent and the valve share every line of their logic. Only Tomcat's classes differ between
 * versions, hence reflection here instead of compiled references, once per Host; each request then takes one
 * interface call into the valve jar's {@code AgentEntry}. No lambdas, method references or method
 * handles here: each spins classes at runtime, and this runs on the first request, which users wait for.
 */
final class TomcatHosts {

    private static final String VALVE = "dev.upgradegate.tomcat.UpgradeGateValve";
    private static final String ENTRY = "dev.upgradegate.tomcat.AgentEntry";

    private static JarFile jar;
    private static Path jarPath;
    private static String configFile;
    private static ClassLoader core;

    /** Keyed by Tomcat's StandardHostValve: one per Host. */
    private static final ConcurrentHashMap<Object, BiPredicate<Object, Object>> HOSTS = new ConcurrentHashMap<>();

    private TomcatHosts() {
    }

    static synchronized void configure(String agentJar, String config, ClassLoader coreLoader) throws Exception {
        jarPath = Path.of(agentJar);
        jar = new JarFile(agentJar, false);
        configFile = config;
        core = coreLoader;
    }

    /** Whether the gate answered the request; {@code false} lets the Host run as usual. */
    static boolean gate(Object hostValve, Object request, Object response) {
        BiPredicate<Object, Object> gate = HOSTS.get(hostValve);
        if (gate == null) {
            synchronized (HOSTS) {
                gate = HOSTS.get(hostValve);
                if (gate == null) {
                    gate = open(hostValve);
                    HOSTS.put(hostValve, gate);
                }
            }
        }
        return gate.test(request, response);
    }

    private static BiPredicate<Object, Object> open(Object hostValve) {
        try {
            ClassLoader tomcat = hostValve.getClass().getClassLoader();
            String folder = visible(tomcat, "jakarta.servlet.ServletException") ? "upgradegate/tomcat/" : "upgradegate/tomcat9/";
            ClassLoader loader = new NestedClassLoader(jar, jarPath.toUri().toURL(), folder, tomcat, core);
            Class<?> valveType = loader.loadClass(VALVE);
            Class<?> containerInterface = tomcat.loadClass("org.apache.catalina.Container");
            Object host = hostValve.getClass().getMethod("getContainer").invoke(hostValve);

            Object valve = valveType.getConstructor().newInstance();
            valveType.getMethod("setConfigFile", String.class).invoke(valve, configFile);
            valveType.getMethod("setContainer", containerInterface).invoke(valve, host);
            valveType.getMethod("start").invoke(valve);
            // The valve has no next valve here: the agent asks it whether it answered and lets the Host run.
            @SuppressWarnings("unchecked")
            BiPredicate<Object, Object> entry = (BiPredicate<Object, Object>) loader.loadClass(ENTRY)
                    .getConstructor(valveType).newInstance(valve);
            return entry;
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new IllegalStateException("cannot start UpgradeGateValve in the agent: " + e, e);
        }
    }

    private static boolean visible(ClassLoader loader, String name) {
        try {
            Class.forName(name, false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
