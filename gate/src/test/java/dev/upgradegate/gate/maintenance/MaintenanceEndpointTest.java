package dev.upgradegate.gate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MaintenanceEndpointTest {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    void untilIsADateWithOffsetOrMinutesFromNow() {
        assertEquals(1_893_456_000_000L, MaintenanceEndpoint.until("2030-01-01T00:00:00Z", null, NOW));
        assertEquals(NOW + 90 * 60_000L, MaintenanceEndpoint.until(null, "90", NOW));
        assertEquals(0, MaintenanceEndpoint.until(" ", "", NOW));
    }

    /** Every bad value is a clear 400 for the caller, never an exception that would escape the gate. */
    @Test
    void badValuesAreRefusedWithAReason() {
        assertEquals("until is too far in the future", assertThrows(IllegalArgumentException.class,
                () -> MaintenanceEndpoint.until("+999999999-12-31T23:59:59Z", null, NOW)).getMessage());
        assertEquals("until is in the past", assertThrows(IllegalArgumentException.class,
                () -> MaintenanceEndpoint.until("2020-01-01T00:00:00Z", null, NOW)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> MaintenanceEndpoint.until("tomorrow", null, NOW));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceEndpoint.until(null, "525601", NOW));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceEndpoint.until(null, "9999999999999999999", NOW));
        assertThrows(IllegalArgumentException.class, () -> MaintenanceEndpoint.until("2030-01-01T00:00:00Z", "5", NOW));
    }
}
