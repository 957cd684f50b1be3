package dev.upgradegate.gate.status;

import java.util.List;

import dev.upgradegate.migrations.PendingChangeset;

/** One immutable look at a webapp: its state and what led to it. */
public final class Status {

    private final State state;
    private final String bundleVersion;
    private final String schemaVersion;
    private final List<PendingChangeset> pending;
    private final String lastError;
    private final List<String> ahead;
    private final String reason;

    Status(State state, String bundleVersion, String schemaVersion, List<PendingChangeset> pending,
           String lastError, List<String> ahead, String reason) {
        this.state = state;
        this.bundleVersion = bundleVersion;
        this.schemaVersion = schemaVersion;
        this.pending = pending;
        this.lastError = lastError;
        this.ahead = ahead;
        this.reason = reason;
    }

    public State state() {
        return state;
    }

    public String bundleVersion() {
        return bundleVersion;
    }

    /**
     * The schema in words: its newest tag, Flyway's version, or e.g. "42 changesets applied, the last on
     * 2026-11-20"; {@code null} when nothing is installed or it is unknown.
     */
    public String schemaVersion() {
        return schemaVersion;
    }

    /** What the database is ahead of the bundle by, for SCHEMA_NEWER: migrations or a tag; else empty. */
    public List<String> ahead() {
        return ahead;
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
