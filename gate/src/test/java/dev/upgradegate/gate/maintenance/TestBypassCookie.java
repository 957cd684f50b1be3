package dev.upgradegate.gate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.db.Maintenance;

class TestBypassCookie {

    private static final long NOW = 1_800_000_000_000L;
    private static final long HOUR = 3_600_000L;

    private static Maintenance openEnded(String secret) {
        return new Maintenance(null, 0, secret, "admin", NOW);
    }

    @Test
    void openEndedMaintenanceGivesACookieOfTwelveHoursAtMost() {
        Maintenance maintenance = openEnded("secret-of-the-first-maintenance");
        String cookie = BypassCookie.issue("shop", maintenance, NOW);
        assertEquals(12 * 3600, BypassCookie.maxAgeSeconds(cookie, NOW));
        assertTrue(BypassCookie.valid(cookie, "shop", maintenance, NOW + 12 * HOUR - 1000));
        assertFalse(BypassCookie.valid(cookie, "shop", maintenance, NOW + 12 * HOUR), "ends after 12 hours");
    }

    @Test
    void aMaintenanceLongerThanTwelveHoursStillCapsTheCookie() {
        Maintenance week = new Maintenance(null, NOW + 7 * 24 * HOUR, "secret-of-a-week-long-one", "admin", NOW);
        String cookie = BypassCookie.issue("shop", week, NOW);
        assertEquals(12 * 3600, BypassCookie.maxAgeSeconds(cookie, NOW));
        assertFalse(BypassCookie.valid(cookie, "shop", week, NOW + 12 * HOUR + 1000));
    }

    @Test
    void aShorterMaintenanceEndsItsCookieWithIt() {
        Maintenance hour = new Maintenance(null, NOW + HOUR, "secret-of-an-hour-long-one", "admin", NOW);
        String cookie = BypassCookie.issue("shop", hour, NOW);
        assertEquals(3600, BypassCookie.maxAgeSeconds(cookie, NOW));
        assertFalse(BypassCookie.valid(cookie, "shop", hour, NOW + HOUR));
    }

    /** Each maintenance gets a new secret: turning it off and on again locks out every earlier cookie. */
    @Test
    void aNewMaintenanceMakesOldCookiesStopWorking() {
        Maintenance first = openEnded("secret-of-the-first-maintenance");
        String cookie = BypassCookie.issue("shop", first, NOW);
        assertTrue(BypassCookie.valid(cookie, "shop", first, NOW + 1000));
        Maintenance second = openEnded("secret-of-the-second-maintenance");
        assertFalse(BypassCookie.valid(cookie, "shop", second, NOW + 1000));
        assertFalse(BypassCookie.valid(cookie, "shop", null, NOW + 1000), "no maintenance, no pass");
    }

    @Test
    void aCookieOpensOnlyTheWebappItWasIssuedFor() {
        Maintenance maintenance = openEnded("one-secret-for-two-webapps");
        assertFalse(BypassCookie.valid(BypassCookie.issue("blog", maintenance, NOW), "shop", maintenance, NOW));
    }
}
