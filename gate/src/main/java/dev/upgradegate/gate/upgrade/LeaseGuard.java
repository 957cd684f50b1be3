package dev.upgradegate.gate.upgrade;

import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * Passes an upgrade's progress on, and stops the upgrade before its next changeset once its lease is lost: another
 * node has taken it over and runs the upgrade itself, and two runs of one changeset must not follow.
 */
final class LeaseGuard implements UpgradeListener {

    private final UpgradeLock lease;
    private final UpgradeListener next;

    LeaseGuard(UpgradeLock lease, UpgradeListener next) {
        this.lease = lease;
        this.next = next;
    }

    @Override
    public void starting(int total) {
        next.starting(total);
    }

    @Override
    public void changesetStarting(int number, PendingChangeset changeset) {
        if (lease.lost()) {
            throw new IllegalStateException("the upgrade lease was taken over by another node, so this node stopped"
                    + " before " + changeset.file() + "::" + changeset.id());
        }
        next.changesetStarting(number, changeset);
    }

    @Override
    public void changesetDone(int number, PendingChangeset changeset) {
        next.changesetDone(number, changeset);
    }

    @Override
    public void engineSaid(String line) {
        next.engineSaid(line);
    }
}
