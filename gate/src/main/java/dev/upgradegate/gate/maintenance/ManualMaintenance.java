package dev.upgradegate.gate.maintenance;

import java.sql.SQLException;
import java.time.Instant;
import java.util.logging.Logger;

import dev.upgradegate.gate.db.MaintenanceTable;
import dev.upgradegate.gate.db.WebappDatabase;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.status.StatusMonitor;

/**
 * Manual maintenance of one webapp, turned on and off for every node sharing its database: the row in
 * {@link MaintenanceTable}; other nodes follow within {@code refresh.seconds}, this one at once.
 */
public final class ManualMaintenance {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    private final String webapp;
    private final WebappDatabase database;
    private final StatusMonitor monitor;

    public ManualMaintenance(String webapp, WebappDatabase database, StatusMonitor monitor) {
        this.webapp = webapp;
        this.database = database;
        this.monitor = monitor;
    }

    /** Turns it on, replacing any earlier order (and its bypass secret). */
    public Status on(MaintenanceOrder order, String by) throws SQLException {
        write(connection -> MaintenanceTable.turnOn(connection, webapp, order.message(), order.untilMillis(),
                order.secret(), by));
        LOG.info(() -> webapp + ": maintenance turned on by " + by + (order.untilMillis() == 0 ? " until turned off"
                : " until " + Instant.ofEpochMilli(order.untilMillis())));
        return monitor.refreshNow();
    }

    public Status off(String by) throws SQLException {
        boolean was = write(connection -> MaintenanceTable.clear(connection, webapp));
        if (was) {
            LOG.info(() -> webapp + ": maintenance turned off by " + by);
        }
        return monitor.refreshNow();
    }

    private <T> T write(WebappDatabase.ConnectionWork<T> work) throws SQLException {
        try {
            return database.withConnection(work);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e.getMessage(), e);
        }
    }
}
