package dev.upgradegate.migrations;

/**
 * Hands what Liquibase or Flyway says during an upgrade to that upgrade's listener, for the upgrade's own log (the
 * wizard's log download), while the container's log keeps them at FINE. Both engines run an upgrade on the thread
 * that asked for it, so the listener is the thread's.
 */
final class EngineLog implements AutoCloseable {

    private static final ThreadLocal<UpgradeListener> LISTENING = new ThreadLocal<>();

    private EngineLog() {
    }

    /** Until closed, what the engines say on this thread goes to {@code listener}. */
    static EngineLog listening(UpgradeListener listener) {
        LISTENING.set(listener);
        return new EngineLog();
    }

    /** A line of an engine's at INFO or above; kept by the upgrade running on this thread, if any. */
    static void heard(String message) {
        UpgradeListener listener = LISTENING.get();
        if (listener != null && message != null && !message.isBlank()) {
            listener.engineSaid(message.strip());
        }
    }

    @Override
    public void close() {
        LISTENING.remove();
    }
}
