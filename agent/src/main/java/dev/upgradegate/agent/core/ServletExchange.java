package dev.upgradegate.agent.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import dev.upgradegate.gate.http.Exchange;

/**
 * A servlet request and response, in either servlet API, as the gate's {@link Exchange}. Made only when the gate
 * answers a request, and made from the request and response alone (see {@link ServletGates#SEEN}), so that the
 * factory captures nothing; it calls nothing that could throw until the gate asks.
 */
final class ServletExchange implements Exchange {

    private final ServletApi api;
    private final Object request;
    private final Object response;

    ServletExchange(Object request, Object response) {
        this.api = ServletApi.of(request);
        this.request = request;
        this.response = response;
    }

    @Override
    public String method() {
        return api.string(api.getMethod, request);
    }

    @Override
    public String path() {
        return (String) api.call(api.getAttribute, request, ServletGates.SEEN);
    }

    @Override
    public String contextPath() {
        return api.string(api.getContextPath, request);
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

    @Override
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
