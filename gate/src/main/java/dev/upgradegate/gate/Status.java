package dev.upgradegate.gate;

import java.util.List;

import dev.upgradegate.migrations.PendingChangeset;

/** One immutable look at a webapp: its state and what led to it. */
public final class Status {

    private final State state;
    private final String bundleVersion;
    private final String schemaVersion;
    private final List<PendingChangeset> pending;
    private final String lastError;
    private final String reason;

    Status(State state, String bundleVersion, String schemaVersion, List<PendingChangeset> pending,
           String lastError, String reason) {
        this.state = state;
        this.bundleVersion = bundleVersion;
        this.schemaVersion = schemaVersion;
        this.pending = pending;
        this.lastError = lastError;
        this.reason = reason;
    }

    Status withPending(List<PendingChangeset> changesets) {
        return new Status(state, bundleVersion, schemaVersion, changesets, lastError, reason);
    }

    public State state() {
        return state;
    }

    public String bundleVersion() {
        return bundleVersion;
    }

    public String schemaVersion() {
        return schemaVersion;
    }

    /** The changesets an upgrade would run, or {@code null} while unknown. */
    public List<PendingChangeset> pending() {
        return pending;
    }

    /** What the last upgrade failed on, with the database's words: for the administrator only. */
    public String lastError() {
        return lastError;
    }

    /** Why the state is what it is, for the log. */
    public String reason() {
        return reason;
    }
}
