package dev.upgradegate.gate.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.upgradegate.gate.status.State;

/** The API's errors as RFC 9457 problem+json: {@code type}, {@code status}, {@code title}, {@code detail}, then extras. */
public final class Problem {

    private Problem() {
    }

    /** The document's first four members; callers append their extras (the state, its code...). */
    public static Json of(int status, String title, String detail) {
        return new Json().field("type", "about:blank").field("status", status).field("title", title)
                .field("detail", detail);
    }

    public static void send(Exchange exchange, int status, String title, String detail) throws IOException {
        send(exchange, status, of(status, title, detail));
    }

    /** With the webapp's state, so that a script learns what to do next without another request. */
    public static void send(Exchange exchange, int status, String title, String detail, State state)
            throws IOException {
        send(exchange, status, of(status, title, detail).field("state", state.name()));
    }

    private static void send(Exchange exchange, int status, Json problem) throws IOException {
        Responses.send(exchange, status, Responses.PROBLEM_JSON, Responses.LOCKED_DOWN_CSP,
                problem.toString().getBytes(StandardCharsets.UTF_8));
    }
}
