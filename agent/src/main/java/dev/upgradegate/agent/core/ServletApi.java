package dev.upgradegate.agent.core;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The few servlet methods the gate calls, looked up once per request (or context) class in whichever API the
 * container speaks ({@code jakarta.servlet} or {@code javax.servlet}): one agent serves both.
 */
final class ServletApi {

    private static final Object[] NO_ARGUMENTS = {};

    private static final ClassValue<ServletApi> BY_REQUEST_CLASS = byClass("servlet.http.HttpServletRequest");
    private static final ClassValue<ServletApi> BY_CONTEXT_CLASS = byClass("servlet.ServletContext");

    final Method getDispatcherType;
    final Method getAttribute;
    final Method setAttribute;
    final Method getServletContext;
    final Method getMethod;
    final Method getContextPath;
    final Method getServletPath;
    final Method getPathInfo;
    final Method getHeader;
    final Method getRemoteAddr;
    final Method isSecure;
    final Method getInputStream;
    final Method setStatus;
    final Method setHeader;
    final Method getOutputStream;
    final Method contextClassLoader;
    final Method contextResource;
    final Method contextResourcePaths;
    final Method contextPath;
    final Method contextGetAttribute;
    final Method contextSetAttribute;
    final Class<?> responseType;

    private ServletApi(ClassLoader loader, String api) throws ReflectiveOperationException {
        Class<?> request = Class.forName(api + ".servlet.http.HttpServletRequest", false, loader);
        Class<?> servletRequest = Class.forName(api + ".servlet.ServletRequest", false, loader);
        Class<?> response = Class.forName(api + ".servlet.http.HttpServletResponse", false, loader);
        Class<?> servletResponse = Class.forName(api + ".servlet.ServletResponse", false, loader);
        Class<?> context = Class.forName(api + ".servlet.ServletContext", false, loader);
        getDispatcherType = servletRequest.getMethod("getDispatcherType");
        getAttribute = servletRequest.getMethod("getAttribute", String.class);
        setAttribute = servletRequest.getMethod("setAttribute", String.class, Object.class);
        getServletContext = servletRequest.getMethod("getServletContext");
        getMethod = request.getMethod("getMethod");
        getContextPath = request.getMethod("getContextPath");
        getServletPath = request.getMethod("getServletPath");
        getPathInfo = request.getMethod("getPathInfo");
        getHeader = request.getMethod("getHeader", String.class);
        getRemoteAddr = servletRequest.getMethod("getRemoteAddr");
        isSecure = servletRequest.getMethod("isSecure");
        getInputStream = servletRequest.getMethod("getInputStream");
        setStatus = response.getMethod("setStatus", int.class);
        setHeader = response.getMethod("setHeader", String.class, String.class);
        getOutputStream = servletResponse.getMethod("getOutputStream");
        contextClassLoader = context.getMethod("getClassLoader");
        contextResource = context.getMethod("getResourceAsStream", String.class);
        contextResourcePaths = context.getMethod("getResourcePaths", String.class);
        contextPath = context.getMethod("getContextPath");
        contextGetAttribute = context.getMethod("getAttribute", String.class);
        contextSetAttribute = context.getMethod("setAttribute", String.class, Object.class);
        responseType = response;
    }

    /** The API of the classes that implement {@code type} (a name below {@code jakarta.} or {@code javax.}). */
    private static ClassValue<ServletApi> byClass(String type) {
        return new ClassValue<>() {
            @Override
            protected ServletApi computeValue(Class<?> implementation) {
                ServletApi jakarta = of("jakarta", type, implementation);
                return jakarta != null ? jakarta : of("javax", type, implementation);
            }
        };
    }

    private static ServletApi of(String api, String type, Class<?> implementation) {
        try {
            ServletApi found = new ServletApi(implementation.getClassLoader(), api);
            return Class.forName(api + "." + type, false, implementation.getClassLoader())
                    .isAssignableFrom(implementation) ? found : null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** The API of an HTTP servlet request, or {@code null} for any other object. */
    static ServletApi of(Object request) {
        return request.getClass().getClassLoader() == null ? null : BY_REQUEST_CLASS.get(request.getClass());
    }

    /** The API of a ServletContext, or {@code null} for any other object. */
    static ServletApi ofContext(Object context) {
        return context.getClass().getClassLoader() == null ? null : BY_CONTEXT_CLASS.get(context.getClass());
    }

    /** Without arguments: varargs would allocate an empty array on every request. */
    Object call(Method method, Object target) {
        return call(method, target, NO_ARGUMENTS);
    }

    Object call(Method method, Object target, Object... args) {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    String string(Method method, Object target) {
        return (String) call(method, target);
    }

    String string(Method method, Object target, Object... args) {
        return (String) call(method, target, args);
    }

    InputStream inputStream(Object request) throws java.io.IOException {
        return (InputStream) io(getInputStream, request);
    }

    OutputStream outputStream(Object response) throws java.io.IOException {
        return (OutputStream) io(getOutputStream, response);
    }

    private Object io(Method method, Object target) throws java.io.IOException {
        try {
            return method.invoke(target);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof java.io.IOException) {
                throw (java.io.IOException) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
