package dev.upgradegate.agent.core;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.WebappGate;

/**
 * The gate on containers other than Tomcat: it acts at Jetty's per-dispatch servlet entry, or elsewhere in the
 * first {@code HttpServlet.service} or {@code HttpFilter.doFilter}, of a request's REQUEST dispatch, and marks the request so that later filters,
 * servlets, forwards, includes and async dispatches pass untouched.
 */
final class ServletGates {

    /** The request attribute that says the gate has already seen this request. */
    static final String SEEN = "dev.upgradegate.seen";

    private static volatile Path configFile;
    private static volatile Gatekeeper gatekeeper;

    /** Keyed by ServletContext: a redeployed webapp has a new one, so its manifest is read again. */
    private static final ConcurrentHashMap<Object, WebappGate> GATES = new ConcurrentHashMap<>();

    private ServletGates() {
    }

    static void configure(String config) {
        configFile = Path.of(config);
    }

    /** Whether the gate answered the request; {@code false} lets the servlet or filter run as usual. */
    static boolean gate(Object request, Object response) throws Throwable {
        ServletApi api = ServletApi.of(request);
        if (api == null || !api.responseType.isInstance(response)
                || api.call(api.getAttribute, request, SEEN) != null
                || !"REQUEST".equals(String.valueOf(api.call(api.getDispatcherType, request)))) {
            return false;
        }
        api.call(api.setAttribute, request, SEEN, Boolean.TRUE);
        Object context = api.call(api.getServletContext, request);
        WebappGate gate = GATES.get(context);
        if (gate == null) {
            gate = GATES.computeIfAbsent(context, started -> gatekeeper().open(new ServletWebapp(api, started,
                    api.string(api.getContextPath, request))));
        }
        String contextPath = api.string(api.getContextPath, request);
        String servletPath = api.string(api.getServletPath, request);
        String pathInfo = api.string(api.getPathInfo, request);
        String path = pathInfo == null ? servletPath : servletPath + pathInfo;
        if (gate.passes(contextPath + path, contextPath.length())) {
            return false;
        }
        try {
            gate.handle(new ServletExchange(api, request, response, contextPath, path));
        } catch (java.io.IOException clientGone) {
            // The gate's own answer could not be written; the request is answered all the same.
        }
        return true;
    }

    private static Gatekeeper gatekeeper() {
        Gatekeeper keeper = gatekeeper;
        if (keeper == null) {
            synchronized (ServletGates.class) {
                keeper = gatekeeper;
                if (keeper == null) {
                    keeper = Gatekeeper.start(configFile);
                    gatekeeper = keeper;
                }
            }
        }
        return keeper;
    }
}
