package dev.upgradegate.tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import javax.naming.NamingException;

import org.apache.catalina.Context;
import org.apache.catalina.WebResource;
import org.apache.catalina.core.NamingContextListener;
import org.apache.catalina.core.StandardContext;

import dev.upgradegate.gate.webapp.Webapp;

/** A Tomcat Context as the gate sees it. */
final class TomcatWebapp implements Webapp {

    private final Context context;

    TomcatWebapp(Context context) {
        this.context = context;
    }

    @Override
    public String contextPath() {
        return context.getPath();
    }

    @Override
    public ClassLoader classLoader() {
        return context.getLoader().getClassLoader();
    }

    @Override
    public InputStream resource(String path) throws IOException {
        WebResource resource = context.getResources().getResource(path);
        return resource.exists() ? resource.getInputStream() : null;
    }

    @Override
    public Set<String> list(String folder) {
        Set<String> paths = context.getResources().listWebAppPaths(folder);
        return paths == null ? Set.of() : paths;
    }

    @Override
    public Object lookup(String name) throws NamingException {
        NamingContextListener naming = context instanceof StandardContext
                ? ((StandardContext) context).getNamingContextListener() : null;
        if (naming == null || naming.getEnvContext() == null) {
            throw new NamingException("JNDI naming is disabled for " + context.getName());
        }
        return naming.getEnvContext().lookup(name);
    }
}
