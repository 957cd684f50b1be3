package dev.upgradegate.migrations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * What a database has applied of a bundle's migrations: whether the bundle's code fits it, and the
 * facts a person needs to understand why. Immutable.
 */
public final class SchemaState {

    /** How the bundle's migrations and the database's history relate. */
    public enum Kind {
        /** No history at all: nothing of the bundle has run. */
        NOT_INSTALLED,
        /** Everything the bundle would run has run, and the database knows nothing the bundle does not. */
        CURRENT,
        /** Some of the bundle's migrations have not run yet. */
        BEHIND,
        /** The database has applied migrations of the bundle's files that the bundle does not carry. */
        AHEAD,
        /** The history records a failed migration, which blocks the engine until it is repaired. */
        FAILED
    }

    private final Kind kind;
    private final List<PendingChangeset> pending;
    private final List<String> ahead;
    private final String newestTag;
    private final String label;
    private final PendingChangeset failed;

    /**
     * @param newestTag the newest Liquibase tag, which may name a release; {@code null} for none
     * @param label the schema in words, for people: see {@link #label()}
     */
    public SchemaState(Kind kind, List<PendingChangeset> pending, List<String> ahead, String newestTag, String label,
                       PendingChangeset failed) {
        this.kind = kind;
        this.pending = List.copyOf(pending);
        this.ahead = List.copyOf(ahead);
        this.newestTag = newestTag;
        this.label = label;
        this.failed = failed;
    }

    /** "42 changesets applied, the last on 2026-11-20": an untagged history, in words. */
    public static String applied(int count, String noun, Instant last) {
        return count + " " + noun + (count == 1 ? "" : "s") + " applied"
                + (last == null ? "" : ", the last on " + last.atOffset(ZoneOffset.UTC).toLocalDate());
    }

    public Kind kind() {
        return kind;
    }

    /** What an upgrade would run, in order; empty unless NOT_INSTALLED, BEHIND or FAILED. */
    public List<PendingChangeset> pending() {
        return pending;
    }

    /** The applied migrations the bundle does not know, as the history names them; for AHEAD. */
    public List<String> ahead() {
        return ahead;
    }

    /** The newest Liquibase tag, which may name a release; {@code null} when there is none. */
    public String newestTag() {
        return newestTag;
    }

    /** The migration recorded as failed, for FAILED; else {@code null}. */
    public PendingChangeset failed() {
        return failed;
    }

    /**
     * The schema in words: its newest tag, Flyway's version, or e.g. "42 changesets applied, the last on
     * 2026-11-20"; {@code null} when nothing is installed.
     */
    public String label() {
        return label;
    }
}
