package dev.upgradegate.agent.servlet.jakarta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Set;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.upgradegate.agent.core.ServletAccessor;

/**
 * {@link ServletAccessor} compiled against the servlet API its package names: plain interface calls, which the JIT
 * inlines like the container's own. The javax twin is generated from the jakarta source at build time (see the
 * agent's pom), so this file keeps to what servlet 4.0 and jakarta 5.0 and later spell alike. It is defined in a
 * class loader beside the container's API, never in the agent's core, which sees neither API.
 */
public final class JakartaAccessor implements ServletAccessor {

    @Override
    public boolean isRequestDispatch(Object request) {
        return ((ServletRequest) request).getDispatcherType() == DispatcherType.REQUEST;
    }

    @Override
    public boolean isHttp(Object response) {
        return response instanceof HttpServletResponse;
    }

    @Override
    public Object attribute(Object request, String name) {
        return ((ServletRequest) request).getAttribute(name);
    }

    @Override
    public void attribute(Object request, String name, Object value) {
        ((ServletRequest) request).setAttribute(name, value);
    }

    @Override
    public Object servletContext(Object request) {
        return ((ServletRequest) request).getServletContext();
    }

    @Override
    public String servletPath(Object request) {
        return ((HttpServletRequest) request).getServletPath();
    }

    @Override
    public String pathInfo(Object request) {
        return ((HttpServletRequest) request).getPathInfo();
    }

    @Override
    public String method(Object request) {
        return ((HttpServletRequest) request).getMethod();
    }

    @Override
    public String contextPath(Object request) {
        return ((HttpServletRequest) request).getContextPath();
    }

    @Override
    public String header(Object request, String name) {
        return ((HttpServletRequest) request).getHeader(name);
    }

    @Override
    public String remoteAddress(Object request) {
        return ((ServletRequest) request).getRemoteAddr();
    }

    @Override
    public boolean secure(Object request) {
        return ((ServletRequest) request).isSecure();
    }

    @Override
    public InputStream requestBody(Object request) throws IOException {
        return ((ServletRequest) request).getInputStream();
    }

    @Override
    public void status(Object response, int status) {
        ((HttpServletResponse) response).setStatus(status);
    }

    @Override
    public void header(Object response, String name, String value) {
        ((HttpServletResponse) response).setHeader(name, value);
    }

    @Override
    public OutputStream body(Object response) throws IOException {
        return ((HttpServletResponse) response).getOutputStream();
    }

    @Override
    public Object contextAttribute(Object context, String name) {
        return ((ServletContext) context).getAttribute(name);
    }

    @Override
    public void contextAttribute(Object context, String name, Object value) {
        ((ServletContext) context).setAttribute(name, value);
    }

    @Override
    public String contextPathOf(Object context) {
        return ((ServletContext) context).getContextPath();
    }

    @Override
    public ClassLoader classLoaderOf(Object context) {
        return ((ServletContext) context).getClassLoader();
    }

    @Override
    public InputStream resource(Object context, String path) {
        return ((ServletContext) context).getResourceAsStream(path);
    }

    @Override
    public Set<String> resourcePaths(Object context, String folder) {
        return ((ServletContext) context).getResourcePaths(folder);
    }
}
