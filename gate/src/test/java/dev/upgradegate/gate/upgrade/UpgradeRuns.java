package dev.upgradegate.gate.upgrade;

import dev.upgradegate.migrations.PendingChangeset;

/** Upgrade runs as the runner records them, for tests of what is shown of them. */
public final class UpgradeRuns {

    private UpgradeRuns() {
    }

    /** An upgrade started from the wizard, still running. */
    public static UpgradeProgress running(String toVersion) {
        return new UpgradeProgress("192.0.2.1", "1.0", toVersion, true);
    }

    /** An upgrade started from the wizard that ran {@code ran} and then succeeded, or failed on {@code failedOn}. */
    public static UpgradeProgress finished(String toVersion, boolean succeeded, PendingChangeset failedOn,
                                           PendingChangeset... ran) {
        UpgradeProgress run = running(toVersion);
        run.starting(ran.length + (failedOn == null ? 0 : 1));
        int number = 0;
        for (PendingChangeset changeset : ran) {
            run.changesetStarting(++number, changeset);
            run.changesetDone(number, changeset);
        }
        if (!succeeded) {
            run.failed(failedOn, "Table 'shop.orders' doesn't exist");
        }
        run.finished(succeeded);
        return run;
    }
}
