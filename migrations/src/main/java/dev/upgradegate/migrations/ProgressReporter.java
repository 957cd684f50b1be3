package dev.upgradegate.migrations;

import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;

/** Turns Liquibase's per-changeset callbacks into numbered progress, and remembers which one failed. */
final class ProgressReporter extends AbstractChangeExecListener {

    private final UpgradeListener listener;
    private int number;
    private volatile PendingChangeset failed;

    ProgressReporter(UpgradeListener listener) {
        this.listener = listener;
    }

    @Override
    public void willRun(ChangeSet changeSet, DatabaseChangeLog log, Database database, ChangeSet.RunStatus status) {
        listener.changesetStarting(++number, LiquibaseEngine.describe(changeSet));
    }

    @Override
    public void ran(ChangeSet changeSet, DatabaseChangeLog log, Database database, ChangeSet.ExecType type) {
        listener.changesetDone(number, LiquibaseEngine.describe(changeSet));
    }

    @Override
    public void runFailed(ChangeSet changeSet, DatabaseChangeLog log, Database database, Exception exception) {
        failed = LiquibaseEngine.describe(changeSet);
    }

    PendingChangeset failed() {
        return failed;
    }
}
