package dev.upgradegate.gate.status;

/** A webapp's state. The names are stable: scripts and monitors match on them. */
public enum State {

    UP("", "Available", ""),
    NOT_INSTALLED("Err 1", "Not installed yet",
            "This site has not been installed yet. The administrator has been told how to finish it."),
    UPGRADE_REQUIRED("Err 2", "Upgrade required",
            "This site has been updated and is waiting for its database upgrade."),
    UPGRADE_RUNNING("Err 3", "Upgrade in progress",
            "This site is being upgraded right now. It will be back as soon as the upgrade is done."),
    UPGRADE_FAILED("Err 4", "Upgrade failed",
            "The upgrade of this site did not finish. The administrator can see what went wrong and retry."),
    SCHEMA_NEWER("Err 5", "Database newer than site",
            "This site's files are older than its database. The administrator needs to deploy the matching version."),
    DB_UNAVAILABLE("Err 6", "Database unavailable",
            "This site cannot reach its database at the moment. It will come back by itself once the database does."),
    MISCONFIGURED("Err 7", "Configuration error",
            "This site's maintenance settings are incomplete. The administrator can find the details in the server log."),
    MAINTENANCE("Err 8", "Down for maintenance",
            "This site is down for maintenance. It will be back shortly."),
    /** Deployed, its first check of the database not done yet: a second or two, or db.timeoutSeconds at worst. */
    STARTING("Err 9", "Starting",
            "This site is starting. It will be available in a moment.");

    private final String code;
    private final String title;
    private final String message;

    State(String code, String title, String message) {
        this.code = code;
        this.title = title;
        this.message = message;
    }

    /** The short code a visitor can quote to the administrator, as in "Err 2". */
    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** What a visitor is told: no versions, no SQL, nothing secret. */
    public String message() {
        return message;
    }

    /** Whether an administrator may start an upgrade from this state. */
    public boolean upgradable() {
        return this == NOT_INSTALLED || this == UPGRADE_REQUIRED || this == UPGRADE_FAILED;
    }
}
