package com.example.shop;

import java.util.function.Function;

/** What a {@link Handler} sees of an HTTP request, free of any servlet API. */
public final class Request {

    private final String method;
    private final String path;
    private final String contextPath;
    private final Function<String, String> parameters;

    /**
     * @param method "GET" (also for HEAD) or "POST"
     * @param path the context-relative path the shop servlet was mapped by: "" for the context root, else e.g.
     *     "/products"
     * @param contextPath the web application's context path ("" for the root context), for building links
     * @param parameters request parameter by name, null when absent
     */
    public Request(String method, String path, String contextPath, Function<String, String> parameters) {
        this.method = method;
        this.path = path;
        this.contextPath = contextPath;
        this.parameters = parameters;
    }

    public String method() {
        return method;
    }

    public boolean isPost() {
        return "POST".equals(method);
    }

    public String path() {
        return path;
    }

    public String contextPath() {
        return contextPath;
    }

    public String parameter(String name) {
        return parameters.apply(name);
    }
}
