package dev.upgradegate.agent.core;

import java.io.IOException;
import java.nio.file.Path;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.http.Exchange;

/**
 * The gate on containers other than Tomcat: it acts at Jetty's per-dispatch servlet entry, or elsewhere in the
 * first {@code HttpServlet.service} or {@code HttpFilter.doFilter} of a request, and only in the request's REQUEST
 * dispatch: forwards, includes, async and error dispatches pass untouched. Each call goes through the compiled
 * {@link ServletAccessor} of the container's API; a passing request allocates nothing of the agent's.
 *
 * <p>A webapp's gate lives in its ServletContext, as an attribute: it goes when the context goes (Jetty clears
 * the attributes it was given at runtime when it stops a context), so no static map pins an undeployed webapp's
 * class loader. On Jetty it opens as the context starts, before its listeners run; elsewhere on the first request,
 * which then meets STARTING (503) until the first check of the database is done.
 */
public final class ServletGates {

    /**
     * The request attribute that says the fallback has already seen this request, so that later filters and the
     * servlet of the same dispatch pass untouched. Jetty's entry runs once per dispatch and needs no mark.
     */
    public static final String SEEN = "dev.upgradegate.seen";
    /** The ServletContext attribute that holds the webapp's gate. */
    public static final String GATE = "dev.upgradegate.gate";

    /** The path the gate is judging on this thread, read by {@link ExchangeFactory} when the gate answers. */
    private static final ThreadLocal<PathView> PATH = new ThreadLocal<>() {
        // Not withInitial(PathView::new): a method reference spins classes at runtime, on the first request here.
        @Override
        protected PathView initialValue() {
            return new PathView();
        }
    };

    private final Object opening = new Object();
    private final ServletAccessors accessors;
    private final Path configFile;
    private final ExchangeFactory exchanges;
    private volatile Gatekeeper gatekeeper;

    public ServletGates(ServletAccessors accessors, Path configFile) {
        this.accessors = accessors;
        this.configFile = configFile;
        this.exchanges = new ExchangeFactory(accessors);
    }

    /**
     * At Jetty's per-dispatch entry: whether the gate answered the request; {@code false} lets Jetty go on.
     *
     * @param pathInContext Jetty's decoded path inside the webapp, which its {@code getServletPath()} would throw
     *                      for ambiguous URIs
     */
    public boolean dispatch(String pathInContext, Object request, Object response) {
        ServletAccessor api = accessors.ofRequest(request);
        if (api == null || !api.isHttp(response) || !api.isRequestDispatch(request)) {
            return false;
        }
        return answered(api, PATH.get().set(pathInContext, null), request, response);
    }

    /** At a filter or servlet elsewhere: the first of a REQUEST dispatch decides, and marks the request. */
    public boolean fallback(Object request, Object response) {
        ServletAccessor api = accessors.ofRequest(request);
        if (api == null || !api.isHttp(response) || api.attribute(request, SEEN) != null
                || !api.isRequestDispatch(request)) {
            return false;
        }
        api.attribute(request, SEEN, Boolean.TRUE);
        return answered(api, PATH.get().set(api.servletPath(request), api.pathInfo(request)), request, response);
    }

    /**
     * A fault before the webapp's gate is known propagates (the bridge lets the request pass); after, a gated
     * webapp answers 503.
     */
    private boolean answered(ServletAccessor api, PathView path, Object request, Object response) {
        WebappGate gate = gateOf(api, api.servletContext(request));
        try {
            // The gate reads only what follows the context path: the path inside the webapp, at offset 0, is
            // enough, and joining the context path to it would allocate on every request.
            return gate.answered(path, 0, request, response, exchanges);
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

    /** A gated webapp never reaches its own code past a fault of ours: the maintenance page, or at least no answer. */
    private boolean failClosed(WebappGate gate, Throwable fault, Object request, Object response) {
        try {
            gate.failClosed(fault, exchanges.of(request, response));
        } catch (IOException | RuntimeException | LinkageError unwritable) {
            // Nothing more can be said to this client; the webapp still must not run.
        }
        return true;
    }

    /**
     * Opens a Jetty context's gate as the context starts, and waits (bounded) for its first check on the deploying
     * thread, so that a healthy webapp's first request already meets its real state.
     */
    void started(Object contextHandler) throws ReflectiveOperationException {
        Object context = contextHandler.getClass().getMethod("getServletContext").invoke(contextHandler);
        ServletAccessor api = accessors.ofContext(context);
        if (api != null) {
            gateOf(api, context).awaitFirstCheck();
        }
    }

    private WebappGate gateOf(ServletAccessor api, Object context) {
        Object gate = api.contextAttribute(context, GATE);
        if (gate != null) {
            return (WebappGate) gate;
        }
        synchronized (opening) {
            gate = api.contextAttribute(context, GATE);
            if (gate == null) {
                gate = gatekeeper().open(new ServletWebapp(api, context));
                api.contextAttribute(context, GATE, gate);
            }
            return (WebappGate) gate;
        }
    }

    /** Under {@link #opening}. */
    private Gatekeeper gatekeeper() {
        Gatekeeper keeper = gatekeeper;
        if (keeper == null) {
            keeper = Gatekeeper.start(configFile);
            gatekeeper = keeper;
        }
        return keeper;
    }

    /**
     * Makes the exchange when the gate answers, on the request's thread: the path comes from {@link #PATH}, so the
     * factory is one shared object and a passing request allocates none.
     */
    private static final class ExchangeFactory implements WebappGate.Exchanges<Object, Object> {
        private final ServletAccessors accessors;

        ExchangeFactory(ServletAccessors accessors) {
            this.accessors = accessors;
        }

        @Override
        public Exchange of(Object request, Object response) {
            return new ServletExchange(accessors.ofRequest(request), request, response, PATH.get().toString());
        }
    }
}
