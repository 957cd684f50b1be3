package dev.upgradegate.agent.cli;

import dev.upgradegate.gate.status.State;

/**
 * What stops a command, said in one line that names the option, key or file to fix: the CLI prints it
 * instead of a stack trace.
 */
final class CliFailure extends Exception {

    private static final long serialVersionUID = 1L;

    private final String app;
    private final State state;

    /**
     * @param app   the webapp it concerns, or {@code null}
     * @param state the state the gate would report for it ({@code DB_UNAVAILABLE}, say), or {@code null}
     */
    CliFailure(String app, State state, String message) {
        super(message);
        this.app = app;
        this.state = state;
    }

    CliFailure(String message) {
        this(null, null, message);
    }

    String app() {
        return app;
    }

    State state() {
        return state;
    }

    /** The line a person reads: {@code shop: DB_UNAVAILABLE: cannot reach …}. */
    String line() {
        return (app == null ? "" : app + ": ") + (state == null ? "" : state + ": ") + getMessage();
    }
}
