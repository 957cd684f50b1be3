package dev.upgradegate.agent.core;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;

import dev.upgradegate.agent.NestedClassLoader;

/**
 * Tomcat's side of the agent: each Host gets the very {@code UpgradeGateValve} of the valve jar (the jakarta
 * one for Tomcat 10.1 and 11, the javax one for Tomcat 9), loaded beside Tomcat's own classes and started on
 * that Host, so the agent and the valve share every line of their logic. Only Tomcat's classes differ between
 * versions, hence reflection here instead of compiled references. No lambdas, method references or method
 * handles here: each spins classes at runtime, and this runs on the first request, which users wait for.
 */
final class TomcatHosts {

    private static final String VALVE = "dev.upgradegate.tomcat.UpgradeGateValve";

    private static JarFile jar;
    private static Path jarPath;
    private static String configFile;
    private static ClassLoader core;

    /** Keyed by Tomcat's StandardHostValve: one per Host. */
    private static final ConcurrentHashMap<Object, HostGate> HOSTS = new ConcurrentHashMap<>();

    private TomcatHosts() {
    }

    static synchronized void configure(String agentJar, String config, ClassLoader coreLoader) throws Exception {
        jarPath = Path.of(agentJar);
        jar = new JarFile(agentJar, false);
        configFile = config;
        core = coreLoader;
    }

    /** Whether the gate answered the request; {@code false} lets the Host run as usual. */
    static boolean gate(Object hostValve, Object request, Object response) throws Throwable {
        HostGate gate = HOSTS.get(hostValve);
        if (gate == null) {
            synchronized (HOSTS) {
                gate = HOSTS.get(hostValve);
                if (gate == null) {
                    gate = open(hostValve);
                    HOSTS.put(hostValve, gate);
                }
            }
        }
        return gate.answers(request, response);
    }

    private static HostGate open(Object hostValve) {
        try {
            ClassLoader tomcat = hostValve.getClass().getClassLoader();
            String folder = visible(tomcat, "jakarta.servlet.ServletException") ? "upgradegate/tomcat/" : "upgradegate/tomcat9/";
            ClassLoader loader = new NestedClassLoader(jar, jarPath.toUri().toURL(), folder, tomcat, core);
            Class<?> valveType = loader.loadClass(VALVE);
            Class<?> valveInterface = tomcat.loadClass("org.apache.catalina.Valve");
            Class<?> containerInterface = tomcat.loadClass("org.apache.catalina.Container");
            Object host = hostValve.getClass().getMethod("getContainer").invoke(hostValve);

            Object valve = valveType.getConstructor().newInstance();
            valveType.getMethod("setConfigFile", String.class).invoke(valve, configFile);
            valveType.getMethod("setContainer", containerInterface).invoke(valve, host);
            valveType.getMethod("setNext", valveInterface).invoke(valve, Proxy.newProxyInstance(loader,
                    new Class<?>[] {valveInterface}, new InvocationHandler() {
                        @Override
                        public Object invoke(Object proxy, Method method, Object[] args) {
                            return HostGate.passedOn(method.getName());
                        }
                    }));
            valveType.getMethod("start").invoke(valve);

            Class<?> requestType = tomcat.loadClass("org.apache.catalina.connector.Request");
            Class<?> responseType = tomcat.loadClass("org.apache.catalina.connector.Response");
            return new HostGate(valve, valveType.getMethod("invoke", requestType, responseType));
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

    /** One Host's valve; it is given a next valve that only notes that the request passed. */
    static final class HostGate {

        private static final ThreadLocal<boolean[]> PASSED = new ThreadLocal<boolean[]>() {
            @Override
            protected boolean[] initialValue() {
                return new boolean[1];
            }
        };

        private final Object valve;
        private final Method invoke;

        HostGate(Object valve, Method invoke) {
            this.valve = valve;
            this.invoke = invoke;
        }

        boolean answers(Object request, Object response) throws Throwable {
            boolean[] passed = PASSED.get();
            passed[0] = false;
            try {
                invoke.invoke(valve, request, response);
            } catch (InvocationTargetException thrown) {
                if (thrown.getCause() instanceof java.io.IOException) {
                    // Writing the gate's own answer failed: the request was answered, the Host must not run.
                    return true;
                }
                throw thrown.getCause();
            }
            return !passed[0];
        }

        /** The next valve's every method: {@code invoke} means the valve let the request through. */
        static Object passedOn(String method) {
            switch (method) {
                case "invoke":
                    PASSED.get()[0] = true;
                    return null;
                case "isAsyncSupported":
                    return Boolean.TRUE;
                case "hashCode":
                    return 0;
                case "equals":
                    return Boolean.FALSE;
                case "toString":
                    return "UpgradeGate agent: the Host's own valve follows";
                default:
                    return null;
            }
        }
    }
}
