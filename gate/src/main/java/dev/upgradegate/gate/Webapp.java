package dev.upgradegate.gate;

import dev.upgradegate.gate.version.BundleLabel;

/** A deployed webapp, as its container shows it to the gate: its files come from {@link BundleLabel.Files}. */
public interface Webapp extends BundleLabel.Files {

    /** The context name: {@code shop} for /shop, {@code ROOT} for the root webapp. */
    String name();

    /** The context path: {@code /shop}, or empty for the root webapp. */
    String contextPath();

    /** The webapp's own class loader, which sees its migrations. */
    ClassLoader classLoader();

    /** Looks a name up in the webapp's {@code java:comp/env}, such as {@code jdbc/ShopDB}. */
    Object lookup(String name) throws Exception;
}
