package dev.upgradegate.gate;

import java.io.IOException;
import java.io.InputStream;

/** A deployed webapp, as its container shows it to the gate. */
public interface Webapp {

    /** The context name: {@code shop} for /shop, {@code ROOT} for the root webapp. */
    String name();

    /** The context path: {@code /shop}, or empty for the root webapp. */
    String contextPath();

    /** The webapp's own class loader, which sees its changelog. */
    ClassLoader classLoader();

    /** One of the bundle's files, such as {@code /META-INF/MANIFEST.MF}, or {@code null} when absent. */
    InputStream resource(String path) throws IOException;

    /** Looks a name up in the webapp's {@code java:comp/env}, such as {@code jdbc/ShopDB}. */
    Object lookup(String name) throws Exception;
}
