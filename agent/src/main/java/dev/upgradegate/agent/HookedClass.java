package dev.upgradegate.agent;

/**
 * The one table of what the agent instruments: each container class, the method whose entry gets a call to the
 * bridge, which bridge method ({@link Advice}) with which of the method's local variables, and on which
 * containers. The launcher's {@code TargetWatcher} reads it to pick the classes, the core's {@code AgentCore}
 * to rewrite them; each loads its own copy of this class, which names JDK types only.
 */
public enum HookedClass {

    /** Tomcat's Host entry: gating here runs before any webapp code, filters included. */
    TOMCAT_HOST("org/apache/catalina/core/StandardHostValve", "invoke",
            "(Lorg/apache/catalina/connector/Request;Lorg/apache/catalina/connector/Response;)V",
            Advice.HOST, Scope.ALWAYS, 0, 1, 2),

    /**
     * Jetty 12's per-dispatch servlet entry (ee10, ee11), before the first filter, with Jetty's own decoded path
     * inside the webapp (where {@code getServletPath()} throws for ambiguous URIs):
     * {@code MappedServlet#handle(ServletHandler, String pathInContext, HttpServletRequest, HttpServletResponse)}.
     * Only the start of the descriptor is matched: the request types differ between ee10 and ee11.
     */
    JETTY_EE10_DISPATCH("org/eclipse/jetty/ee10/servlet/ServletHandler$MappedServlet", "handle",
            "(Lorg/eclipse/jetty/ee10/servlet/ServletHandler;Ljava/lang/String;", Advice.DISPATCH, Scope.ALWAYS, 2, 3, 4),
    JETTY_EE11_DISPATCH("org/eclipse/jetty/ee11/servlet/ServletHandler$MappedServlet", "handle",
            "(Lorg/eclipse/jetty/ee11/servlet/ServletHandler;Ljava/lang/String;", Advice.DISPATCH, Scope.ALWAYS, 2, 3, 4),

    /** A Jetty servlet context starting its webapp, before the webapp's listeners run: the gate opens here. */
    JETTY_EE10_START("org/eclipse/jetty/ee10/servlet/ServletContextHandler", "contextInitialized", "()V",
            Advice.STARTED, Scope.ALWAYS, 0),
    JETTY_EE11_START("org/eclipse/jetty/ee11/servlet/ServletContextHandler", "contextInitialized", "()V",
            Advice.STARTED, Scope.ALWAYS, 0),

    /**
     * Elsewhere, the first filter or servlet of a request. Not in Tomcat, and not for jakarta in Jetty ee10/ee11,
     * whose own entries come first; javax (ee8) webapps, which may run in the same Jetty, keep theirs.
     */
    JAKARTA_FILTER("jakarta/servlet/http/HttpFilter", "doFilter",
            "(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;Ljakarta/servlet/FilterChain;)V",
            Advice.FALLBACK, Scope.JAKARTA_FALLBACK, 1, 2),
    JAKARTA_SERVLET("jakarta/servlet/http/HttpServlet", "service",
            "(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)V",
            Advice.FALLBACK, Scope.JAKARTA_FALLBACK, 1, 2),
    JAVAX_FILTER("javax/servlet/http/HttpFilter", "doFilter",
            "(Ljavax/servlet/ServletRequest;Ljavax/servlet/ServletResponse;Ljavax/servlet/FilterChain;)V",
            Advice.FALLBACK, Scope.JAVAX_FALLBACK, 1, 2),
    JAVAX_SERVLET("javax/servlet/http/HttpServlet", "service",
            "(Ljavax/servlet/ServletRequest;Ljavax/servlet/ServletResponse;)V",
            Advice.FALLBACK, Scope.JAVAX_FALLBACK, 1, 2);

    /** The bridge methods ({@code dev.upgradegate.agent.bridge.GateBridge}) a hook calls. */
    public enum Advice {
        /** {@code if (GateBridge.host(this, request, response)) return;} */
        HOST("host", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)Z"),
        /** {@code if (GateBridge.dispatch(pathInContext, request, response)) return;}: once per dispatch. */
        DISPATCH("dispatch", "(Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;)Z"),
        /**
         * {@code if (GateBridge.fallback(request, response)) return;}: possibly several times per dispatch (each
         * filter, then the servlet), so the first marks the request.
         */
        FALLBACK("fallback", "(Ljava/lang/Object;Ljava/lang/Object;)Z"),
        /** {@code GateBridge.started(this);} */
        STARTED("started", "(Ljava/lang/Object;)V");

        public final String method;
        public final String descriptor;

        Advice(String method, String descriptor) {
            this.method = method;
            this.descriptor = descriptor;
        }

        /** Whether a {@code true} from the bridge returns from the hooked method at once (the gate answered). */
        public boolean answers() {
            return descriptor.endsWith(")Z");
        }
    }

    /** On which containers a class is hooked, by what the JVM has loaded so far. */
    private enum Scope { ALWAYS, JAKARTA_FALLBACK, JAVAX_FALLBACK }

    /** {@code values()} copies its array on every call; this runs for class loads. */
    private static final HookedClass[] ALL = values();

    public final String internalName;
    public final String method;
    /** The whole descriptor, or (not ending in {@code )V}) its start. */
    public final String descriptor;
    public final Advice advice;
    /** The method's local variables passed to the bridge, in order ({@code 0} is {@code this}). */
    private final int[] locals;
    private final Scope scope;

    HookedClass(String internalName, String method, String descriptor, Advice advice, Scope scope, int... locals) {
        this.internalName = internalName;
        this.method = method;
        this.descriptor = descriptor;
        this.advice = advice;
        this.scope = scope;
        this.locals = locals;
    }

    /** The entry for a class's internal name, or {@code null}. */
    public static HookedClass of(String internalName) {
        for (HookedClass hooked : ALL) {
            if (hooked.internalName.equals(internalName)) {
                return hooked;
            }
        }
        return null;
    }

    /**
     * Whether this class is hooked in a JVM that has loaded Tomcat's classes ({@code tomcat}) or Jetty's ee10/ee11
     * ({@code jettyJakarta}), whose own entries come before any filter.
     */
    public boolean applies(boolean tomcat, boolean jettyJakarta) {
        // Not a switch: one on an enum compiles to one more class for the launcher to load.
        return scope == Scope.ALWAYS || !tomcat && (scope == Scope.JAVAX_FALLBACK || !jettyJakarta);
    }

    public boolean hooks(String name, String candidate) {
        return name.equals(method) && (descriptor.endsWith(")V") ? candidate.equals(descriptor)
                : candidate.startsWith(descriptor) && candidate.endsWith(")V"));
    }

    public int locals() {
        return locals.length;
    }

    /** The {@code i}th local variable passed to the bridge. */
    public int local(int i) {
        return locals[i];
    }
}
