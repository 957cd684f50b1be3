package dev.upgradegate.gate.install;

/** One signed-in browser's way through the wizard. Its id travels in the cookie; its CSRF token in the forms. */
final class Session {

    final String id;
    final String csrf;
    final long createdNanos = System.nanoTime();
    volatile long seenNanos = createdNanos;
    volatile boolean agreedToLicence;
    /** The backup this attempt will rely on, made or in the making, or {@code null}; each attempt needs its own. */
    volatile Backups.Job backup;
    volatile boolean ownBackup;

    Session(String id, String csrf) {
        this.id = id;
        this.csrf = csrf;
    }

    boolean backedUp() {
        Backups.Job job = backup;
        return ownBackup || job != null && job.result() != null;
    }
}
