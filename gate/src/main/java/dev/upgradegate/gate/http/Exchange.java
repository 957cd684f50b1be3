package dev.upgradegate.gate.http;

import java.io.IOException;
import java.io.InputStream;
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

    /**
     * The TCP peer's address, whatever a proxy header says. Defaults to {@link #remoteAddress()}, which is
     * the peer wherever the adapter sees the request before any RemoteIpValve or RemoteIpFilter; an adapter
     * that sees it after overrides this. {@link ClientAddress} decides which of the two to believe.
     */
    default String peerAddress() {
        return remoteAddress();
    }

    /** Whether the client used HTTPS (as the container reports it, after RemoteIpValve, if any). */
    boolean secure();

    /**
     * The request body, for form posts. Defaults to empty, so that an adapter which does not read bodies
     * still compiles; the wizard then refuses its forms.
     */
    default InputStream requestBody() throws IOException {
        return InputStream.nullInputStream();
    }

    /** A request cookie's value, or {@code null}. Adapters may override this with the container's parsing. */
    default String cookie(String name) {
        String header = header("Cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            int equals = part.indexOf('=');
            if (equals > 0 && part.substring(0, equals).trim().equals(name)) {
                return part.substring(equals + 1).trim();
            }
        }
        return null;
    }

    void status(int status);

    void header(String name, String value);

    /** The response body; call after status and headers. */
    OutputStream body() throws IOException;
}
