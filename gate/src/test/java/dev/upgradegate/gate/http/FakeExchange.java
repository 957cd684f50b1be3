package dev.upgradegate.gate.http;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An {@link Exchange} that records what the gate answers. */
public class FakeExchange implements Exchange {

    private final String method;
    private final String path;
    private final String contextPath;
    private final Map<String, String> requestHeaders = new LinkedHashMap<>();
    /** Response headers by lower-case name, in the order set; a repeated name keeps every value. */
    private final Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = -1;
    private boolean bodyOpened;
    private boolean headerAfterBody;

    public FakeExchange(String method, String path, String contextPath) {
        this.method = method;
        this.path = path;
        this.contextPath = contextPath;
    }

    public static FakeExchange get(String accept) {
        return new FakeExchange("GET", "/", "/shop").accept(accept);
    }

    public FakeExchange accept(String accept) {
        return with("Accept", accept);
    }

    public FakeExchange with(String name, String value) {
        if (value != null) {
            requestHeaders.put(name.toLowerCase(Locale.ROOT), value);
        }
        return this;
    }

    @Override
    public String method() {
        return method;
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
        return requestHeaders.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public String remoteAddress() {
        return "192.0.2.1";
    }

    @Override
    public boolean secure() {
        return false;
    }

    @Override
    public void status(int status) {
        if (bodyOpened) {
            headerAfterBody = true;
        }
        this.status = status;
    }

    @Override
    public void header(String name, String value) {
        if (bodyOpened) {
            headerAfterBody = true;
        }
        responseHeaders.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }

    @Override
    public OutputStream body() {
        bodyOpened = true;
        return body;
    }

    public int status() {
        return status;
    }

    /** The one value of a response header, or {@code null}; fails if it was set twice. */
    public String responseHeader(String name) {
        List<String> values = responseHeaders.get(name.toLowerCase(Locale.ROOT));
        if (values == null) {
            return null;
        }
        if (values.size() != 1) {
            throw new AssertionError("header " + name + " set " + values.size() + " times: " + values);
        }
        return values.get(0);
    }

    public Map<String, List<String>> responseHeaders() {
        return responseHeaders;
    }

    public byte[] bodyBytes() {
        return body.toByteArray();
    }

    public String bodyText() {
        return new String(body.toByteArray(), StandardCharsets.UTF_8);
    }

    public boolean bodyOpened() {
        return bodyOpened;
    }

    /** Whether a status or header was set after the body had been opened (too late in a real container). */
    public boolean headerAfterBody() {
        return headerAfterBody;
    }
}
