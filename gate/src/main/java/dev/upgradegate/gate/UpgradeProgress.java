package dev.upgradegate.gate;

import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeListener;

/** A running or finished upgrade, as far as it has got. Written by the upgrading thread only. */
public final class UpgradeProgress implements UpgradeListener {

    private final long startedMillis = System.currentTimeMillis();
    private final String client;
    private volatile int total = -1;
    private volatile int current;
    private volatile String changeset;
    private volatile long finishedMillis;
    private volatile boolean succeeded;

    UpgradeProgress(String client) {
        this.client = client;
    }

    @Override
    public void starting(int total) {
        this.total = total;
    }

    @Override
    public void changesetStarting(int number, PendingChangeset changeset) {
        this.current = number;
        this.changeset = changeset.id();
    }

    void finished(boolean succeeded) {
        this.succeeded = succeeded;
        this.finishedMillis = System.currentTimeMillis();
    }

    /** How many changesets the upgrade runs; -1 until Liquibase has planned it. */
    public int total() {
        return total;
    }

    /** The 1-based number of the changeset running now (or last run). */
    public int current() {
        return current;
    }

    /** The id of the changeset running now (or last run), or {@code null}. */
    public String changeset() {
        return changeset;
    }

    public long startedMillis() {
        return startedMillis;
    }

    /** 0 while running. */
    public long finishedMillis() {
        return finishedMillis;
    }

    public boolean succeeded() {
        return succeeded;
    }

    /** The address the upgrade was started from. */
    public String client() {
        return client;
    }
}
