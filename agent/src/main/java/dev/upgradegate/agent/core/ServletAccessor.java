package dev.upgradegate.agent.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;

/**
 * The servlet API calls of the agent's servlet path, compiled: one implementation against {@code jakarta.servlet}
 * ({@code dev.upgradegate.agent.servlet.jakarta.JakartaAccessor}) and its {@code javax.servlet} twin, generated
 * from it at build time. Each takes the container's objects as {@code Object}, since the core sees neither API;
 * {@link ServletAccessors} defines the implementation beside the container's API, once per API class loader.
 */
public interface ServletAccessor {

    /** Whether the request is in its REQUEST dispatch (not a forward, include, async or error dispatch). */
    boolean isRequestDispatch(Object request);

    /** Whether the response is an HTTP response of this API. */
    boolean isHttp(Object response);

    Object attribute(Object request, String name);

    void attribute(Object request, String name, Object value);

    Object servletContext(Object request);

    String servletPath(Object request);

    String pathInfo(Object request);

    String method(Object request);

    String contextPath(Object request);

    String header(Object request, String name);

    String remoteAddress(Object request);

    boolean secure(Object request);

    InputStream requestBody(Object request) throws IOException;

    void status(Object response, int status);

    void header(Object response, String name, String value);

    OutputStream body(Object response) throws IOException;

    Object contextAttribute(Object context, String name);

    void contextAttribute(Object context, String name, Object value);

    String contextPathOf(Object context);

    ClassLoader classLoaderOf(Object context);

    InputStream resource(Object context, String path);

    Set<String> resourcePaths(Object context, String folder);
}
