package dev.upgradegate.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The compiled accessors of both servlet APIs, found by the request's class, and the servlet path's early exits,
 * on fixed requests without a container. (The accessors' own class loaders are proven in the agent's ITs.)
 */
class TestServletAccessors {

    /** Here both APIs and both accessors are on the test's class path. */
    private final ServletAccessors accessors = new ServletAccessors(
            (accessorClass, apiLoader) -> Class.forName(accessorClass, true, TestServletAccessors.class.getClassLoader()));

    @Test
    void eachApiHasItsCompiledAccessor() {
        JakartaRequest request = new JakartaRequest(jakarta.servlet.DispatcherType.REQUEST, "/api", "/products/42");
        ServletAccessor api = accessors.ofRequest(request);
        assertEquals("dev.upgradegate.agent.servlet.jakarta.JakartaAccessor", api.getClass().getName());
        assertTrue(api.isRequestDispatch(request));
        assertEquals("/api", api.servletPath(request));
        assertEquals("/products/42", api.pathInfo(request));
        api.attribute(request, "k", "v");
        assertEquals("v", api.attribute(request, "k"));

        JavaxRequest forward = new JavaxRequest(javax.servlet.DispatcherType.FORWARD, "/index.jsp", null);
        ServletAccessor legacy = accessors.ofRequest(forward);
        assertEquals("dev.upgradegate.agent.servlet.javax.JavaxAccessor", legacy.getClass().getName());
        assertFalse(legacy.isRequestDispatch(forward));
        assertNull(legacy.pathInfo(forward));
    }

    @Test
    void oneAccessorPerApiAndNoneForOtherObjects() {
        assertSame(accessors.ofRequest(new JakartaRequest(jakarta.servlet.DispatcherType.REQUEST, "/", null)),
                accessors.ofRequest(new JakartaRequest(jakarta.servlet.DispatcherType.ASYNC, "/", null) { }));
        assertNull(accessors.ofRequest("not a request"));
        assertNull(accessors.ofRequest(new Object()));
    }

    @Test
    void theResponseMustBeHttp() {
        ServletAccessor api = accessors.ofRequest(new JakartaRequest(jakarta.servlet.DispatcherType.REQUEST, "/", null));
        assertTrue(api.isHttp(fixed(jakarta.servlet.http.HttpServletResponse.class)));
        assertFalse(api.isHttp(fixed(javax.servlet.http.HttpServletResponse.class)));
        assertFalse(api.isHttp(fixed(jakarta.servlet.ServletResponse.class)));
    }

    /** Neither reaches the webapp's gate: this request has no servlet context to find one in. */
    @Test
    void onlyTheFirstLookAtARequestDispatchActs() {
        ServletGates gates = new ServletGates(accessors, Path.of("unused.properties"));
        Object response = fixed(jakarta.servlet.http.HttpServletResponse.class);
        for (jakarta.servlet.DispatcherType type : new jakarta.servlet.DispatcherType[] {
                jakarta.servlet.DispatcherType.FORWARD, jakarta.servlet.DispatcherType.INCLUDE,
                jakarta.servlet.DispatcherType.ASYNC, jakarta.servlet.DispatcherType.ERROR}) {
            JakartaRequest request = new JakartaRequest(type, "/secret", null);
            assertFalse(gates.fallback(request, response), type.name());
            assertFalse(gates.dispatch("/secret", request, response), type.name());
            assertNull(request.getAttribute(ServletGates.SEEN), "a " + type + " dispatch is not marked");
        }
        JakartaRequest seen = new JakartaRequest(jakarta.servlet.DispatcherType.REQUEST, "/secret", null);
        seen.setAttribute(ServletGates.SEEN, Boolean.TRUE);
        assertFalse(gates.fallback(seen, response), "a later filter of the same dispatch");
        assertFalse(gates.fallback(new Object(), response));
    }

    private static Object fixed(Class<?> type) {
        return Proxy.newProxyInstance(TestServletAccessors.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** A request fixed at a dispatch type and path, with one attribute slot. */
    static class JakartaRequest extends jakarta.servlet.http.HttpServletRequestWrapper {
        private final jakarta.servlet.DispatcherType type;
        private final String servletPath;
        private final String pathInfo;
        private String name;
        private Object value;

        JakartaRequest(jakarta.servlet.DispatcherType type, String servletPath, String pathInfo) {
            super((jakarta.servlet.http.HttpServletRequest) fixed(jakarta.servlet.http.HttpServletRequest.class));
            this.type = type;
            this.servletPath = servletPath;
            this.pathInfo = pathInfo;
        }

        @Override
        public jakarta.servlet.DispatcherType getDispatcherType() {
            return type;
        }

        @Override
        public String getServletPath() {
            return servletPath;
        }

        @Override
        public String getPathInfo() {
            return pathInfo;
        }

        @Override
        public Object getAttribute(String key) {
            return key.equals(name) ? value : null;
        }

        @Override
        public void setAttribute(String key, Object object) {
            name = key;
            value = object;
        }

        @Override
        public jakarta.servlet.ServletContext getServletContext() {
            throw new AssertionError("the gate was looked up");
        }
    }

    static final class JavaxRequest extends javax.servlet.http.HttpServletRequestWrapper {
        private final javax.servlet.DispatcherType type;
        private final String servletPath;
        private final String pathInfo;

        JavaxRequest(javax.servlet.DispatcherType type, String servletPath, String pathInfo) {
            super((javax.servlet.http.HttpServletRequest) fixed(javax.servlet.http.HttpServletRequest.class));
            this.type = type;
            this.servletPath = servletPath;
            this.pathInfo = pathInfo;
        }

        @Override
        public javax.servlet.DispatcherType getDispatcherType() {
            return type;
        }

        @Override
        public String getServletPath() {
            return servletPath;
        }

        @Override
        public String getPathInfo() {
            return pathInfo;
        }
    }
}
