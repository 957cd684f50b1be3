package dev.upgradegate.gate.maintenance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;

/** {@code ignore} patterns, matched on the decoded URI after the context path {@code /shop}. */
class TestIgnoredPaths {

    private static boolean ignored(String patterns, String pathInWebapp) {
        AppSettings shop = GateSettings.of(Path.of("/etc/upgradegate.properties"), Map.of("app.shop.ignore", patterns))
                .forApp("shop");
        assertNull(shop.problem());
        return IgnoredPaths.of(shop.ignore(), "/install").matches("/shop" + pathInWebapp, "/shop".length());
    }

    @Test
    void aSingleStarStaysWithinOneSegment() {
        assertTrue(ignored("/*.css", "/site.css"));
        assertFalse(ignored("/*.css", "/static/site.css"));
        assertTrue(ignored("/static/*", "/static/logo.png"));
        assertFalse(ignored("/static/*", "/static/img/logo.png"));
        assertFalse(ignored("/static/*", "/static"));
    }

    @Test
    void aDoubleStarCrossesSegments() {
        assertTrue(ignored("/static/**", "/static/img/icons/logo.png"));
        assertTrue(ignored("/static/**", "/static/"));
        assertFalse(ignored("/static/**", "/static.css"), "a folder, not a prefix");
        assertTrue(ignored("/**/*.js", "/a/b/app.js"));
        assertFalse(ignored("/**/*.js", "/a/b/app.json"));
    }

    @Test
    void aPlainPatternIsOneExactPath() {
        assertTrue(ignored("healthz", "/healthz"));
        assertFalse(ignored("/healthz", "/healthz/deep"));
        assertFalse(ignored("/healthz", "/healthzz"));
        assertTrue(ignored("/a, /healthz", "/healthz"));
    }

    /** However broad the pattern, the install endpoint is gated: it must answer, not the webapp. */
    @Test
    void theInstallPathIsNeverIgnored() {
        assertFalse(ignored("/**", "/install"));
        assertFalse(ignored("/**", "/install/status"));
        assertFalse(ignored("/install/*", "/install/upgrade"));
        assertTrue(ignored("/**", "/installer"), "only the install path itself and below");
        assertTrue(ignored("/**", "/products"));
    }
}
