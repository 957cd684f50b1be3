package dev.upgradegate.gate.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One HTTP request and its response, as the gate sees them. Each container adapts its own request
 * types to this, so the gate never imports a servlet or a container class.
 */
public interface Exchange {

    String method();

    /** The decoded request path inside the webapp, starting with {@code /} (empty for the context root). */
    String path();

    /** The context path, empty for the root webapp. */
    String contextPath();

    /** A request header's value, or {@code null}. */
    String header(String name);

    /** The client's address as the container reports it (after RemoteIpValve, if any). */
    String remoteAddress();

    boolean secure();

    void status(int status);

    void header(String name, String value);

    /** The response body; call after status and headers. */
    OutputStream body() throws IOException;
}
