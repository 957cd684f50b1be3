package dev.upgradegate.agent.core;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.jar.JarFile;

import dev.upgradegate.agent.NestedClassLoader;

/**
 * The {@link ServletAccessor} of each servlet API a container brings, found by the class of a request or context
 * in one {@link ClassValue} read (no allocation). The accessor is defined once per API class loader, in a loader
 * of its own whose parent is that API's loader, so its compiled calls link to the container's API.
 */
public final class ServletAccessors {

    /** Defines a compiled accessor class where the API that {@code apiLoader} defines is visible. */
    public interface Definer {
        Class<?> define(String accessorClass, ClassLoader apiLoader) throws ReflectiveOperationException;
    }

    /** The agent jar's folder of the compiled accessors, outside its core: the core sees no servlet API. */
    private static final String FOLDER = "upgradegate/servlet/";

    private enum Api {
        JAKARTA("jakarta", "dev.upgradegate.agent.servlet.jakarta.JakartaAccessor"),
        JAVAX("javax", "dev.upgradegate.agent.servlet.javax.JavaxAccessor");

        final String prefix;
        final String accessor;

        Api(String prefix, String accessor) {
            this.prefix = prefix;
            this.accessor = accessor;
        }
    }

    private final Definer definer;

    /** Keyed by an API's {@code ServletRequest}: one accessor per API class loader. */
    private final ClassValue<ServletAccessor> byApi = new ClassValue<>() {
        @Override
        protected ServletAccessor computeValue(Class<?> servletRequest) {
            Api api = servletRequest.getName().startsWith("jakarta.") ? Api.JAKARTA : Api.JAVAX;
            try {
                return (ServletAccessor) definer.define(api.accessor, servletRequest.getClassLoader())
                        .getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot define the " + api.prefix + ".servlet accessor", e);
            }
        }
    };
    private final ClassValue<ServletAccessor> byRequestClass = implementing(".servlet.http.HttpServletRequest");
    private final ClassValue<ServletAccessor> byContextClass = implementing(".servlet.ServletContext");

    public ServletAccessors(Definer definer) {
        this.definer = definer;
    }

    /**
     * The agent's: each API gets a {@link NestedClassLoader} over the agent jar's accessor folder, with the core
     * beside it for the agent's own types. A class, not a lambda: lambdas spin classes at runtime, on the startup
     * path here.
     */
    static ServletAccessors nested(String agentJar, ClassLoader core) throws IOException {
        return new ServletAccessors(new NestedDefiner(new JarFile(agentJar, false), Path.of(agentJar).toUri().toURL(),
                core));
    }

    private static final class NestedDefiner implements Definer {
        private final JarFile jar;
        private final URL location;
        private final ClassLoader core;

        NestedDefiner(JarFile jar, URL location, ClassLoader core) {
            this.jar = jar;
            this.location = location;
            this.core = core;
        }

        @Override
        public Class<?> define(String accessorClass, ClassLoader apiLoader) throws ClassNotFoundException {
            return new NestedClassLoader(jar, location, FOLDER, apiLoader, core).loadClass(accessorClass);
        }
    }

    /** The accessor of an HTTP servlet request, or {@code null} for any other object. */
    public ServletAccessor ofRequest(Object request) {
        Class<?> type = request.getClass();
        return type.getClassLoader() == null ? null : byRequestClass.get(type);
    }

    /** The accessor of a ServletContext, or {@code null} for any other object. */
    public ServletAccessor ofContext(Object context) {
        Class<?> type = context.getClass();
        return type.getClassLoader() == null ? null : byContextClass.get(type);
    }

    /** The accessor of the classes that implement {@code type} (a name below {@code jakarta} or {@code javax}). */
    private ClassValue<ServletAccessor> implementing(String type) {
        return new ClassValue<>() {
            @Override
            protected ServletAccessor computeValue(Class<?> implementation) {
                for (Api api : Api.values()) {
                    try {
                        ClassLoader loader = implementation.getClassLoader();
                        if (Class.forName(api.prefix + type, false, loader).isAssignableFrom(implementation)) {
                            return byApi.get(Class.forName(api.prefix + ".servlet.ServletRequest", false, loader));
                        }
                    } catch (ClassNotFoundException | LinkageError notThisApi) {
                        // the other API, or none
                    }
                }
                return null;
            }
        };
    }
}
