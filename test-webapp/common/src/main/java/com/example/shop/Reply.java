package com.example.shop;

/** A {@link Handler}'s answer, free of any servlet API: a body with a status, or a redirect. */
public final class Reply {

    private static final String HTML = "text/html;charset=UTF-8";
    private static final String JSON = "application/json;charset=UTF-8";
    private static final String TEXT = "text/plain;charset=UTF-8";

    private final int status;
    private final String contentType;
    private final String body;
    private final String redirectPath;

    private Reply(int status, String contentType, String body, String redirectPath) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.redirectPath = redirectPath;
    }

    public static Reply html(String body) {
        return html(200, body);
    }

    public static Reply html(int status, String body) {
        return new Reply(status, HTML, body, null);
    }

    public static Reply json(String body) {
        return new Reply(200, JSON, body, null);
    }

    public static Reply notFound() {
        return new Reply(404, TEXT, "Not found\n", null);
    }

    public static Reply methodNotAllowed() {
        return new Reply(405, TEXT, "Method not allowed\n", null);
    }

    /** A 302 redirect to a context-relative path such as "/products". */
    public static Reply redirect(String contextRelativePath) {
        return new Reply(302, null, null, contextRelativePath);
    }

    public int status() {
        return status;
    }

    public String contentType() {
        return contentType;
    }

    public String body() {
        return body;
    }

    /** The context-relative path to redirect to, or null when this is not a redirect. */
    public String redirectPath() {
        return redirectPath;
    }
}
