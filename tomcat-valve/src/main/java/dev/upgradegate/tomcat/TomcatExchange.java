package dev.upgradegate.tomcat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.servlet.http.Cookie;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;

import dev.upgradegate.gate.http.Exchange;

/** A Tomcat request and response, as the gate's {@link Exchange}. */
final class TomcatExchange implements Exchange {

    private final Request request;
    private final Response response;

    TomcatExchange(Request request, Response response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String path() {
        return request.getDecodedRequestURI().substring(contextPath().length());
    }

    @Override
    public String contextPath() {
        return request.getContext().getPath();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    /** The connector's own, which an engine-level RemoteIpValve in front of this host's valve does not rewrite. */
    @Override
    public String peerAddress() {
        return request.getPeerAddr();
    }

    @Override
    public boolean secure() {
        return request.isSecure();
    }

    @Override
    public InputStream requestBody() throws IOException {
        return request.getInputStream();
    }

    @Override
    public String cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie cookie : cookies) {
                if (cookie.getName().equals(name)) {
                    return cookie.getValue();
                }
            }
        }
        return null;
    }

    @Override
    public void status(int status) {
        response.setStatus(status);
    }

    @Override
    public void header(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public OutputStream body() throws IOException {
        return response.getOutputStream();
    }
}
