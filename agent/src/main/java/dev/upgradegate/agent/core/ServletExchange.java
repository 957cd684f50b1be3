package dev.upgradegate.agent.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import dev.upgradegate.gate.http.Exchange;

/** A servlet request and response, in either servlet API, as the gate's {@link Exchange}. */
final class ServletExchange implements Exchange {

    private final ServletApi api;
    private final Object request;
    private final Object response;
    private final String contextPath;
    private final String path;

    ServletExchange(ServletApi api, Object request, Object response, String contextPath, String path) {
        this.api = api;
        this.request = request;
        this.response = response;
        this.contextPath = contextPath;
        this.path = path;
    }

    @Override
    public String method() {
        return api.string(api.getMethod, request);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String contextPath() {
        return contextPath;
    }

    @Override
    public String header(String name) {
        return api.string(api.getHeader, request, name);
    }

    @Override
    public String remoteAddress() {
        return api.string(api.getRemoteAddr, request);
    }

    @Override
    public boolean secure() {
        return (Boolean) api.call(api.isSecure, request);
    }

    /** Not marked as an override: the gate's Exchange gains this method in a change still in progress. */
    public InputStream requestBody() throws IOException {
        return api.inputStream(request);
    }

    @Override
    public void status(int status) {
        api.call(api.setStatus, response, status);
    }

    @Override
    public void header(String name, String value) {
        api.call(api.setHeader, response, name, value);
    }

    @Override
    public OutputStream body() throws IOException {
        return api.outputStream(response);
    }
}
