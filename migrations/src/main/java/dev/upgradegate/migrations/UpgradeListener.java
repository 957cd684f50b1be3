package dev.upgradegate.migrations;

/** Hears an upgrade's progress. Called on the upgrading thread; implementations must be quick. */
public interface UpgradeListener {

    UpgradeListener NONE = new UpgradeListener() { };

    /** The upgrade is about to run {@code total} changesets. */
    default void starting(int total) { }

    /** Changeset {@code number} (1-based) of the total is about to run. */
    default void changesetStarting(int number, PendingChangeset changeset) { }

    default void changesetDone(int number, PendingChangeset changeset) { }

    /** A line the engine (Liquibase or Flyway) logged at INFO or above while it ran this upgrade. */
    default void engineSaid(String line) { }
}
