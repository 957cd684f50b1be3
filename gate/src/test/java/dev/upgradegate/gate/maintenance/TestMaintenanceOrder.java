package dev.upgradegate.gate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TestMaintenanceOrder {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    void untilIsADateWithOffsetOrMinutesFromNow() {
        assertEquals(1_893_456_000_000L, until("2030-01-01T00:00:00Z", null));
        assertEquals(NOW + 90 * 60_000L, until(null, "90"));
        assertEquals(0, until(" ", ""));
    }

    /** Every bad value is a clear 400 for the caller, never an exception that would escape the gate. */
    @Test
    void badValuesAreRefusedWithAReason() {
        assertEquals("until is too far in the future", assertThrows(IllegalArgumentException.class,
                () -> until("+999999999-12-31T23:59:59Z", null)).getMessage());
        assertEquals("until is in the past", assertThrows(IllegalArgumentException.class,
                () -> until("2020-01-01T00:00:00Z", null)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> until("tomorrow", null));
        assertThrows(IllegalArgumentException.class, () -> until(null, "525601"));
        assertThrows(IllegalArgumentException.class, () -> until(null, "9999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> until("2030-01-01T00:00:00Z", "5"));
    }

    @Test
    void theMessageIsTrimmedAndABlankOneIsTheStatesOwn() {
        assertEquals("Back at noon", MaintenanceOrder.of("  Back at noon \n", null, null, null, NOW).message());
        assertNull(MaintenanceOrder.of(" ", null, null, null, NOW).message());
        assertNull(MaintenanceOrder.of(null, null, null, null, NOW).message());
        assertEquals(1000, MaintenanceOrder.of("x".repeat(1000), null, null, null, NOW).message().length());
        assertEquals("message is longer than 1000 characters", assertThrows(IllegalArgumentException.class,
                () -> MaintenanceOrder.of("x".repeat(1001), null, null, null, NOW)).getMessage());
    }

    @Test
    void aGivenSecretMustBeHardToGuessAndNoneMeansARandomOne() {
        assertEquals("a-secret-of-sixteen", MaintenanceOrder.of(null, null, null, " a-secret-of-sixteen ", NOW).secret());
        assertNull(MaintenanceOrder.of(null, null, null, "", NOW).secret());
        for (String bad : new String[] {"short", "sixteen chars!!!", "x".repeat(101)}) {
            assertEquals("secret must be 16 to 100 letters, digits, '-' or '_'", assertThrows(
                    IllegalArgumentException.class, () -> MaintenanceOrder.of(null, null, null, bad, NOW)).getMessage());
        }
    }

    @Test
    void minutesAreWholeAndAtMostAYear() {
        assertEquals(NOW + 60_000L, until(null, " 1 "));
        assertEquals(NOW + 525_600 * 60_000L, until(null, "525600"));
        for (String bad : new String[] {"0", "-5", "1.5", "soon"}) {
            assertEquals("minutes must be a whole number from 1 to 525600", assertThrows(
                    IllegalArgumentException.class, () -> until(null, bad)).getMessage(), bad);
        }
    }

    private static long until(String until, String minutes) {
        return MaintenanceOrder.of(null, until, minutes, null, NOW).untilMillis();
    }
}
