package dev.upgradegate.gate.jmx;

/**
 * One gated webapp in JMX, registered by the container adapter as
 * {@code <engine>:type=UpgradeGate,host=<host>,context=<path>} beside Tomcat's own MBeans.
 */
public interface WebappGateMXBean {

    /** The state's stable name, e.g. {@code UP} or {@code MAINTENANCE}. */
    String getState();

    String getBundleVersion();

    /** Where the bundle's version came from (manifest or pom.properties), or why it is unknown. */
    String getBundleVersionSource();

    /** The schema's label: its newest tag, Flyway's version, or e.g. "42 changesets applied, the last on …". */
    String getSchemaVersion();

    /** The migrations: {@code liquibase <changelog>} or {@code flyway <locations>}; empty when misconfigured. */
    String getMigrations();

    /** For SCHEMA_NEWER, what the database is ahead of the bundle by; else empty. */
    String[] getAhead();

    /** When the state was last checked, ISO-8601 UTC; empty before the first check. */
    String getLastCheck();

    /** The last upgrade on this node, e.g. {@code SUCCEEDED 1.0.0 -> 2.0.0 at 2030-01-01T12:00:00Z}; empty if none. */
    String getLastUpgrade();

    /** The changesets an upgrade would run, as {@code id (author) file}. */
    String[] getPendingChangesets();

    /** The manual maintenance's message, end time and who set it; empty when there is none. */
    String getMaintenance();

    /** Re-reads the state from the database now; returns the new state. */
    String refresh();

    /**
     * Releases the upgrade lock if it is stale (its upgrade was interrupted, or its heartbeat stopped
     * for {@code lock.staleSeconds}); a live upgrade's lock is never taken. Returns what happened.
     */
    String releaseStaleLock();

    /**
     * Turns manual maintenance on for every node sharing the database.
     *
     * @param minutes how long it lasts; 0 or less for until turned off
     * @return the bypass URL path inside the webapp
     */
    String maintenanceOn(String message, int minutes);

    /** Turns manual maintenance off; returns the new state. */
    String maintenanceOff();
}
