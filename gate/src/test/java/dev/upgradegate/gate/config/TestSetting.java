package dev.upgradegate.gate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TestSetting {

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

    /** An empty file gives every key its setting's default, read as a value in the file is. */
    @ParameterizedTest
    @EnumSource(Setting.class)
    void everyKeyDefaultsToItsSettingsDefault(Setting setting) {
        GateSettings settings = GateSettings.of(SOURCE, Map.of());
        AppSettings shop = settings.forApp("shop");
        assertNull(settings.problem());
        assertNull(shop.problem());
        assertEquals(setting.defaultValue(), effective(setting, settings, shop), setting.key());
    }

    /** What the gate uses for {@code setting}, written back as the file would say it; {@code null} for none. */
    private static String effective(Setting setting, GateSettings settings, AppSettings shop) {
        switch (setting) {
            case INSTALL_PATH: return settings.installPath();
            case INSTALL_TOKEN: return settings.installToken();
            case INSTALL_TOKEN_FILE: return SOURCE.getParent().relativize(settings.tokenFile()).toString();
            case LOCK_STALE_SECONDS: return String.valueOf(settings.lockStaleSeconds());
            case REFRESH_SECONDS: return String.valueOf(settings.refreshSeconds());
            case DB_TIMEOUT_SECONDS: return String.valueOf(settings.dbTimeoutSeconds());
            case RETRY_AFTER_SECONDS: return String.valueOf(settings.retryAfterSeconds());
            case DATASOURCE: return shop.datasource();
            case JDBC_URL: return shop.jdbcUrl();
            case JDBC_USER: return shop.jdbcUser();
            case JDBC_PASSWORD: return shop.jdbcPassword();
            case MIGRATIONS: return shop.engine() == null ? null : shop.engine().name();
            // Unset, the bundle is searched: the default first.
            case CHANGELOG: return shop.changelog() == null ? AppSettings.DEFAULT_CHANGELOGS.get(0) : "named";
            case LIQUIBASE_CONTEXTS: return shop.liquibaseContexts();
            case LIQUIBASE_LABELS: return shop.liquibaseLabels();
            case LIQUIBASE_TABLE: return shop.liquibaseTable();
            case LIQUIBASE_LOCK_TABLE: return shop.liquibaseLockTable();
            case LIQUIBASE_DEFAULT_SCHEMA: return shop.liquibaseDefaultSchema();
            case FLYWAY_LOCATIONS: return String.join(",", shop.flywayLocations());
            case FLYWAY_TABLE: return shop.flywayTable();
            case FLYWAY_SCHEMAS: return shop.flywaySchemas().isEmpty() ? null : String.join(",", shop.flywaySchemas());
            case VERSION_ATTRIBUTE: return shop.versionAttribute();
            case VERSION_QUERY: return shop.versionQuery();
            case IGNORE: return shop.ignore().isEmpty() ? null : "some";
            case MAINTENANCE_PAGE: return shop.maintenancePage() == null ? null : "some";
            case HEALTH_PATH: return settings.healthPath();
            case INSTALL_ALLOW: return settings.installAllow() == null ? null : "some";
            case INSTALL_REQUIRE_SECURE: return String.valueOf(settings.requireSecure());
            case INSTALL_TRUSTED_PROXIES: return settings.trustedProxies().isEmpty() ? null : "some";
            case INSTALL_SIGN_IN_LIMIT: return String.valueOf(settings.signInLimit());
            case INSTALL_GUESS_LIMIT_GLOBAL: return String.valueOf(settings.guessLimitGlobal());
            case BACKUP_DIR: return settings.backupDir().getFileName().toString();
            case BACKUP_ALLOW_OWN: return String.valueOf(shop.allowOwnBackup());
            case BACKUP_PG_DUMP: return shop.pgDump();
            case LICENSE_FILE: return shop.licenseFile() == null ? null : "some";
            default: throw new AssertionError(setting);
        }
    }

    /** A number's range is its setting's: the bounds are taken, one past either is refused, naming the key. */
    @ParameterizedTest
    @MethodSource("numbers")
    void numbersOutOfTheirRangeAreRefusedNamingTheKeyAndTheRange(Setting setting) {
        for (int inRange : new int[] {setting.min(), setting.max()}) {
            assertNull(GateSettings.of(SOURCE, Map.of(setting.key(), " " + inRange)).problem(), setting.key());
        }
        for (int outOfRange : new int[] {setting.min() - 1, setting.max() + 1}) {
            GateSettings settings = GateSettings.of(SOURCE, Map.of(setting.key(), String.valueOf(outOfRange)));
            String problem = settings.problem();
            assertTrue(problem != null && problem.contains(SOURCE + ": " + setting.key() + ": ")
                    && problem.contains("from " + setting.min() + " to " + setting.max())
                    && problem.contains("'" + outOfRange + "'"), String.valueOf(problem));
            assertEquals(setting.defaultValue(), effective(setting, settings, settings.forApp("shop")),
                    "the default stands in while the value is refused");
        }
    }

    static Stream<Setting> numbers() {
        return Arrays.stream(Setting.values()).filter(setting -> setting.type() == SettingType.NUMBER);
    }

    @Test
    void onlyTheRenamedKeysHaveAnOldSpelling() {
        for (Setting setting : Setting.values()) {
            String old = setting.oldKey();
            assertEquals(setting == Setting.RETRY_AFTER_SECONDS ? "retry.after.seconds"
                    : setting == Setting.INSTALL_TOKEN_FILE ? "install.token.file" : null, old, setting.key());
            if (old != null) {
                assertSame(setting, Setting.byOldKey(old));
                assertNull(Setting.byKey(old), "an old spelling is no key of its own");
            }
        }
    }

    /** Schema names go into SQL unquoted: only plain names pass, in the order given. */
    @Test
    void schemasArePlainNamesInOrder() {
        AppSettings shop = GateSettings.of(SOURCE, Map.of("app.shop.flyway.schemas", " notes , extra",
                "app.shop.liquibase.defaultSchema", "app")).forApp("shop");
        assertNull(shop.problem());
        assertEquals(List.of("notes", "extra"), shop.flywaySchemas());
        assertEquals("app", shop.liquibaseDefaultSchema());
        for (String key : new String[] {"flyway.schemas", "liquibase.defaultSchema"}) {
            String problem = GateSettings.of(SOURCE, Map.of(key, "app; DROP TABLE x")).problem();
            assertTrue(problem != null && problem.contains(key) && problem.contains("not a plain schema name"),
                    String.valueOf(problem));
        }
    }

    /** One key style: dotted lowercase groups, words within a part in camelCase. */
    @ParameterizedTest
    @EnumSource(Setting.class)
    void everyKeyHasTheOneKeyStyle(Setting setting) {
        assertTrue(setting.key().matches("[a-z]+(\\.[a-z]+([A-Z][a-z]*)*)?"), setting.key());
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
            case LIQUIBASE_DEFAULT_SCHEMA: return "shop";
            case FLYWAY_LOCATIONS: return "classpath:db/migration, db/extra";
            case FLYWAY_TABLE: return "shop_schema_history";
            case FLYWAY_SCHEMAS: return "notes, extra";
            case VERSION_ATTRIBUTE: return "Shop-Version";
            case VERSION_QUERY: return "SELECT version FROM app_version";
            case INSTALL_ALLOW: return "127.0.0.0/8, 10.0.0.0/8, ::1/128";
            case INSTALL_TRUSTED_PROXIES: return "127.0.0.1/32, 10.0.0.5";
            case INSTALL_REQUIRE_SECURE: case BACKUP_ALLOW_OWN: return "true";
            case INSTALL_SIGN_IN_LIMIT: return "5";
            case DB_TIMEOUT_SECONDS: return "3";
            case INSTALL_GUESS_LIMIT_GLOBAL: return "100";
            case BACKUP_DIR: return "/var/backups/upgradegate";
            case BACKUP_PG_DUMP: return "/usr/lib/postgresql/16/bin/pg_dump";
            case LICENSE_FILE: return "/etc/shop/LICENSE.txt";
            case IGNORE: return "/healthz, /static/**";
            case MAINTENANCE_PAGE: return "maintenance.html";
            case HEALTH_PATH: return "/upgradegate/health";
            default: throw new AssertionError(setting);
        }
    }
}
