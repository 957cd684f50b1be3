package dev.upgradegate.gate.webapp;

import java.io.InputStream;
import java.util.Set;

/** A webapp with no files and no JNDI, at {@code /<name>}: enough for a gate whose JDBC URL is in the settings. */
public final class FakeWebapp implements Webapp {

    private final String contextPath;

    public FakeWebapp(String name) {
        this.contextPath = "/" + name;
    }

    @Override
    public String contextPath() {
        return contextPath;
    }

    @Override
    public ClassLoader classLoader() {
        return FakeWebapp.class.getClassLoader();
    }

    @Override
    public Object lookup(String name) {
        throw new UnsupportedOperationException(name);
    }

    @Override
    public InputStream resource(String path) {
        return null;
    }

    @Override
    public Set<String> list(String folder) {
        return Set.of();
    }
}
