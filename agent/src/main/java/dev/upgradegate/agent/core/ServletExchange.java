package dev.upgradegate.agent.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import dev.upgradegate.gate.http.Exchange;

/**
 * A servlet request and response, in either servlet API, as the gate's {@link Exchange}. Made only when the gate
 * answers a request; it calls nothing that could throw until the gate asks.
 */
final class ServletExchange implements Exchange {

    private final ServletAccessor api;
    private final Object request;
    private final Object response;
    private final String path;

    /** @param path the path inside the webapp the gate judged */
    ServletExchange(ServletAccessor api, Object request, Object response, String path) {
        this.api = api;
        this.request = request;
        this.response = response;
        this.path = path;
    }

    @Override
    public String method() {
        return api.method(request);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String contextPath() {
        return api.contextPath(request);
    }

    @Override
    public String header(String name) {
        return api.header(request, name);
    }

    @Override
    public String remoteAddress() {
        return api.remoteAddress(request);
    }

    @Override
    public boolean secure() {
        return api.secure(request);
    }

    @Override
    public InputStream requestBody() throws IOException {
        return api.requestBody(request);
    }

    @Override
    public void status(int status) {
        api.status(response, status);
    }

    @Override
    public void header(String name, String value) {
        api.header(response, name, value);
    }

    @Override
    public OutputStream body() throws IOException {
        return api.body(response);
    }
}
