package dev.upgradegate.gate.webapp;

import dev.upgradegate.gate.version.BundleLabel;

/** A deployed webapp, as its container shows it to the gate: its files come from {@link BundleLabel.Files}. */
public interface Webapp extends BundleLabel.Files {

    /** The context name, which names the webapp in the configuration file and the logs: see {@link #nameOf}. */
    default String name() {
        return nameOf(contextPath());
    }

    /** The context path: {@code /shop}, or empty for the root webapp. */
    String contextPath();

    /** The webapp's own class loader, which sees its migrations. */
    ClassLoader classLoader();

    /** Looks a name up in the webapp's {@code java:comp/env}, such as {@code jdbc/ShopDB}. */
    Object lookup(String name) throws Exception;

    /**
     * Tomcat's mapping of a context path to its name, which every container's webapp and the CLI share:
     * {@code shop} for /shop, {@code ROOT} for the root webapp, {@code a#b} for /a/b.
     */
    static String nameOf(String contextPath) {
        return contextPath.isEmpty() ? "ROOT" : contextPath.substring(1).replace('/', '#');
    }

    /** The inverse of {@link #nameOf}: the context path a webapp of that name is deployed at. */
    static String contextPathOf(String name) {
        return name.equals("ROOT") ? "" : "/" + name.replace('#', '/');
    }
}
