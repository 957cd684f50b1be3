package dev.upgradegate.demo;

/** A failure the user can act on: its message is printed as it is, without a stack trace. */
public final class DemoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DemoException(String message) {
        super(message);
    }

    public DemoException(String message, Throwable cause) {
        super(message, cause);
    }
}
