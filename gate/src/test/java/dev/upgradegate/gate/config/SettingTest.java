package dev.upgradegate.gate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SettingTest {

    private static final Path SOURCE = Path.of("/etc/upgradegate.properties");

    @Test
    void keysAreUniqueAndDescribed() {
        Set<String> keys = new HashSet<>();
        for (Setting setting : Setting.values()) {
            assertTrue(keys.add(setting.key()), "duplicate key " + setting.key());
            assertFalse(setting.description().isBlank(), setting.key());
            assertSame(setting, Setting.byKey(setting.key()));
        }
        assertNull(Setting.byKey("no.such.key"));
        assertNull(Setting.byKey("app.shop.jdbc.url"));
    }

    @Test
    void onlyTheTokenAndThePasswordAreSecret() {
        for (Setting setting : Setting.values()) {
            assertEquals(setting == Setting.INSTALL_TOKEN || setting == Setting.JDBC_PASSWORD, setting.secret(),
                    setting.key());
        }
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void everyKnownKeyIsAcceptedHostWide(Setting setting) {
        GateSettings settings = GateSettings.of(SOURCE, Map.of(setting.key(), sampleValue(setting)));
        assertNull(settings.problem(), setting.key());
    }

    @ParameterizedTest
    @EnumSource(Setting.class)
    void perWebappKeysAreAcceptedPerWebappAndOthersAreNot(Setting setting) {
        Map<String, String> values = new java.util.HashMap<>();
        values.put("app.shop." + setting.key(), sampleValue(setting));
        if (setting == Setting.JDBC_USER || setting == Setting.JDBC_PASSWORD) {
            values.put("app.shop.jdbc.url", "jdbc:h2:mem:shop");
        }
        GateSettings settings = GateSettings.of(SOURCE, values);
        assertNull(settings.problem(), setting.key());
        String problem = settings.forApp("shop").problem();
        if (setting.perWebapp()) {
            assertNull(problem, setting.key());
        } else {
            assertTrue(problem != null && problem.contains("app.shop." + setting.key()), String.valueOf(problem));
        }
        assertNull(settings.forApp("blog").problem(), "other apps are not touched");
    }

    private static String sampleValue(Setting setting) {
        switch (setting) {
            case INSTALL_PATH: return "/install";
            case INSTALL_TOKEN: return "0123456789abcdef0123";
            case INSTALL_TOKEN_FILE: return "/tmp/upgradegate.token";
            case REFRESH_SECONDS: case RETRY_AFTER_SECONDS: return "5";
            case LOCK_STALE_SECONDS: return "60";
            case DATASOURCE: return "jdbc/ShopDB";
            case JDBC_URL: return "jdbc:h2:mem:x";
            case JDBC_USER: return "shop";
            case JDBC_PASSWORD: return "secret";
            case CHANGELOG: return "db/changelog.xml";
            case MIGRATIONS: return "liquibase";
            case LIQUIBASE_CONTEXTS: return "prod, eu";
            case LIQUIBASE_LABELS: return "!demo and v2";
            case LIQUIBASE_TABLE: return "SHOP_CHANGELOG";
            case LIQUIBASE_LOCK_TABLE: return "SHOP_CHANGELOG_LOCK";
            case FLYWAY_LOCATIONS: return "classpath:db/migration, db/extra";
            case FLYWAY_TABLE: return "shop_schema_history";
            case VERSION_ATTRIBUTE: return "Shop-Version";
            case VERSION_QUERY: return "SELECT version FROM app_version";
            case INSTALL_ALLOW: return "127.0.0.0/8, 10.0.0.0/8, ::1/128";
            case INSTALL_TRUSTED_PROXIES: return "127.0.0.1/32, 10.0.0.5";
            case INSTALL_REQUIRE_SECURE: case BACKUP_ALLOW_OWN: return "true";
            case INSTALL_SIGN_IN_LIMIT: return "5";
            case DB_TIMEOUT_SECONDS: return "3";
            case INSTALL_GUESS_LIMIT_GLOBAL: return "100";
            case BACKUP_DIR: return "/var/backups/upgradegate";
            case LICENSE_FILE: return "/etc/shop/LICENSE.txt";
            case IGNORE: return "/healthz, /static/**";
            case MAINTENANCE_PAGE: return "maintenance.html";
            case HEALTH_PATH: return "/upgradegate/health";
            default: throw new AssertionError(setting);
        }
    }
}
