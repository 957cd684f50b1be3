package dev.upgradegate.gate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TestAppSettings {

    private static AppSettings shop(Map<String, String> values) {
        return GateSettings.of(Path.of("/etc/upgradegate.properties"), values).forApp("shop");
    }

    @Test
    void noDatabaseMeansNotGated() {
        AppSettings app = shop(Map.of("app.shop.changelog", "db/x.xml", "app.shop.version.attribute", "X-Version"));
        assertNull(app.problem());
        assertFalse(app.gated());
    }

    @Test
    void datasourceOrJdbcUrlMeansGated() {
        assertTrue(shop(Map.of("app.shop.datasource", "jdbc/ShopDB")).gated());
        assertTrue(shop(Map.of("app.shop.jdbc.url", "jdbc:h2:mem:x")).gated());
        assertTrue(shop(Map.of("jdbc.url", "jdbc:h2:mem:x")).gated(), "a host-wide URL gates every webapp");
    }

    @Test
    void aProblemAlwaysGatesSoTheAppIsHeldInMaintenance() {
        AppSettings app = shop(Map.of("app.shop.jdbc.ulr", "jdbc:h2:mem:x"));
        assertTrue(app.problem() != null && app.problem().contains("app.shop.jdbc.ulr"), app.problem());
        assertTrue(app.gated());
    }

    @Test
    void misconfiguredAppStillHasUsableDefaults() {
        AppSettings app = GateSettings.load(Path.of("/nonexistent/dir/upgradegate.properties")).forApp("shop");
        assertTrue(app.gated());
        assertTrue(app.problem().contains("/nonexistent/dir/upgradegate.properties"), app.problem());
        assertNull(app.changelog(), "no changelog named: the usual places are looked for");
        assertEquals(Setting.VERSION_ATTRIBUTE.defaultValue(), app.versionAttribute());
        assertNull(app.datasource());
        assertNull(app.jdbcUrl());
        assertNull(app.jdbcPassword());
        assertNull(app.installToken());
    }

    @Test
    void exposesEveryEffectiveValue() {
        AppSettings app = shop(Map.of(
                "app.shop.jdbc.url", "jdbc:h2:mem:shop",
                "app.shop.jdbc.user", "shop",
                "app.shop.jdbc.password", "pw",
                "app.shop.version.query", "SELECT v FROM version",
                "app.shop.install.token", " 0123456789abcdefXYZ "));
        assertNull(app.problem());
        assertEquals("jdbc:h2:mem:shop", app.jdbcUrl());
        assertEquals("shop", app.jdbcUser());
        assertEquals("pw", app.jdbcPassword());
        assertEquals("SELECT v FROM version", app.versionQuery());
        assertEquals("0123456789abcdefXYZ", app.installToken());
        assertNull(app.datasource());
    }
}
