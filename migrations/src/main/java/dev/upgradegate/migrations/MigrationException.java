package dev.upgradegate.migrations;

/**
 * An upgrade or a plan that failed. {@link #changeset()} names the changeset at fault where there is one,
 * and {@link #databaseMessage()} carries the database's own words, for the administrator's eyes only.
 */
public final class MigrationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient PendingChangeset changeset;
    private final String databaseMessage;

    public MigrationException(String message, PendingChangeset changeset, String databaseMessage, Throwable cause) {
        super(message, cause);
        this.changeset = changeset;
        this.databaseMessage = databaseMessage;
    }

    /** The changeset that failed, or {@code null} when the failure was not inside one. */
    public PendingChangeset changeset() {
        return changeset;
    }

    /** The innermost message of the failure, usually the database's error. */
    public String databaseMessage() {
        return databaseMessage;
    }
}
