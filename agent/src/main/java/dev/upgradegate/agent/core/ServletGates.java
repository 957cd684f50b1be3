package dev.upgradegate.agent.core;

import java.io.IOException;
import java.nio.file.Path;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.WebappGate;

/**
 * The gate on containers other than Tomcat: it acts at Jetty's per-dispatch servlet entry, or elsewhere in the
 * first {@code HttpServlet.service} or {@code HttpFilter.doFilter}, of a request's REQUEST dispatch, and marks the
 * request so that later filters, servlets, forwards, includes and async dispatches pass untouched.
 *
 * <p>A webapp's gate lives in its ServletContext, as an attribute: it goes when the context goes (Jetty clears
 * the attributes it was given at runtime when it stops a context), so no static map pins an undeployed webapp's
 * class loader. On Jetty it opens as the context starts, before its listeners run; elsewhere on the first request,
 * which then meets STARTING (503) until the first check of the database is done.
 */
final class ServletGates {

    /**
     * The request attribute that says the gate has already seen this request. Its value is the path inside the
     * webapp the gate judged, so that the exchange, made only when the gate answers, needs nothing else.
     */
    static final String SEEN = "dev.upgradegate.seen";
    /** The ServletContext attribute that holds the webapp's gate. */
    static final String GATE = "dev.upgradegate.gate";

    /** Reflection's argument arrays, shared (invoke only reads them): passing requests allocate none of them. */
    private static final Object[] SEEN_NAME = {SEEN};
    private static final Object[] GATE_NAME = {GATE};

    private static final Object OPENING = new Object();

    private static volatile Path configFile;
    private static volatile Gatekeeper gatekeeper;

    private ServletGates() {
    }

    static void configure(String config) {
        configFile = Path.of(config);
    }

    /**
     * Whether the gate answered the request; {@code false} lets the servlet or filter run as usual. A fault before
     * the webapp's gate is known propagates (the bridge lets the request pass); after, a gated webapp answers 503.
     *
     * @param pathInContext the decoded path inside the webapp where the container hands it over (Jetty), else
     *                      {@code null}: then the servlet API's, which Jetty's would throw for ambiguous URIs
     */
    static boolean gate(String pathInContext, Object request, Object response) {
        ServletApi api = ServletApi.of(request);
        if (api == null || !api.responseType.isInstance(response)
                || api.call(api.getAttribute, request, SEEN_NAME) != null
                || !"REQUEST".equals(String.valueOf(api.call(api.getDispatcherType, request)))) {
            return false;
        }
        WebappGate gate = gateOf(api, api.call(api.getServletContext, request));
        try {
            String path = pathInContext != null ? pathInContext : servletPath(api, request);
            api.call(api.setAttribute, request, SEEN, path);
            // The gate reads only what follows the context path: the path inside the webapp, at offset 0, is
            // enough, and joining the context path to it would allocate on every request.
            return gate.answered(path, 0, request, response, ServletExchange::new);
        } catch (IOException clientGone) {
            // The gate's own answer could not be written; the request is answered all the same.
            return true;
        } catch (RuntimeException | LinkageError fault) {
            if (!gate.gated()) {
                throw fault;
            }
            return failClosed(gate, fault, request, response);
        }
    }

    private static String servletPath(ServletApi api, Object request) {
        String servletPath = api.string(api.getServletPath, request);
        String pathInfo = api.string(api.getPathInfo, request);
        return pathInfo == null ? servletPath : servletPath + pathInfo;
    }

    /** A gated webapp never reaches its own code past a fault of ours: the maintenance page, or at least no answer. */
    private static boolean failClosed(WebappGate gate, Throwable fault, Object request, Object response) {
        try {
            gate.failClosed(fault, new ServletExchange(request, response));
        } catch (IOException | RuntimeException | LinkageError unwritable) {
            // Nothing more can be said to this client; the webapp still must not run.
        }
        return true;
    }

    /**
     * Opens a Jetty context's gate as the context starts, and waits (bounded) for its first check on the deploying
     * thread, so that a healthy webapp's first request already meets its real state.
     */
    static void started(Object contextHandler) throws ReflectiveOperationException {
        Object context = contextHandler.getClass().getMethod("getServletContext").invoke(contextHandler);
        ServletApi api = ServletApi.ofContext(context);
        if (api != null) {
            gateOf(api, context).awaitFirstCheck();
        }
    }

    private static WebappGate gateOf(ServletApi api, Object context) {
        Object gate = api.call(api.contextGetAttribute, context, GATE_NAME);
        if (gate != null) {
            return (WebappGate) gate;
        }
        synchronized (OPENING) {
            gate = api.call(api.contextGetAttribute, context, GATE_NAME);
            if (gate == null) {
                gate = gatekeeper().open(new ServletWebapp(api, context));
                api.call(api.contextSetAttribute, context, GATE, gate);
            }
            return (WebappGate) gate;
        }
    }

    /** Under {@link #OPENING}. */
    private static Gatekeeper gatekeeper() {
        Gatekeeper keeper = gatekeeper;
        if (keeper == null) {
            keeper = Gatekeeper.start(configFile);
            gatekeeper = keeper;
        }
        return keeper;
    }
}
