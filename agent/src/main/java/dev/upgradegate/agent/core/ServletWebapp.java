package dev.upgradegate.agent.core;

import java.io.InputStream;
import java.util.Set;
import javax.naming.InitialContext;

import dev.upgradegate.gate.webapp.Webapp;

/** A webapp of a servlet container, seen through its ServletContext. */
final class ServletWebapp implements Webapp {

    private final ServletAccessor api;
    private final Object context;
    private final String contextPath;
    private final ClassLoader classLoader;

    ServletWebapp(ServletAccessor api, Object context) {
        this.api = api;
        this.context = context;
        this.contextPath = api.contextPathOf(context);
        this.classLoader = api.classLoaderOf(context);
    }

    @Override
    public String contextPath() {
        return contextPath;
    }

    @Override
    public ClassLoader classLoader() {
        return classLoader;
    }

    @Override
    public InputStream resource(String path) {
        return api.resource(context, path);
    }

    @Override
    public Set<String> list(String folder) {
        Set<String> paths = api.resourcePaths(context, folder);
        return paths == null ? Set.of() : paths;
    }

    /** Containers find a webapp's java:comp/env by the thread's context class loader, so it must be the webapp's. */
    @Override
    public Object lookup(String name) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        try {
            return new InitialContext().lookup("java:comp/env/" + name);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
