package dev.upgradegate.gate.jmx;

/**
 * Every gated webapp of one host in JMX, registered by the container adapter as
 * {@code <engine>:type=UpgradeGate,host=<host>}: maintenance for all of them at once, as one would take a
 * whole node's shops down for a database migration.
 */
public interface HostGatesMXBean {

    /** One line per gated webapp: {@code shop: UP}. */
    String[] getWebapps();

    /**
     * Turns manual maintenance on for every gated webapp, each on every node sharing its database.
     *
     * @param minutes when it ends by itself, 0 or less for never
     * @return one line per webapp: its bypass URL's path, or why it failed
     */
    String[] maintenanceOnAll(String message, int minutes);

    /** Turns manual maintenance off for every gated webapp; one line per webapp with its new state. */
    String[] maintenanceOffAll();
}
