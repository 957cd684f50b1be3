package dev.upgradegate.gate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One webapp's effective settings out of the host's values: its own {@code app.<name>.} key where it has one,
 * else the host-wide key, else the default; and the rules that span keys (one connection, one engine), which no
 * single value's type can check.
 */
final class AppSettingsResolver {

    private static final Setting[] LIQUIBASE_ONLY = {Setting.CHANGELOG, Setting.LIQUIBASE_CONTEXTS,
        Setting.LIQUIBASE_LABELS, Setting.LIQUIBASE_TABLE, Setting.LIQUIBASE_LOCK_TABLE, Setting.LIQUIBASE_DEFAULT_SCHEMA};
    private static final Setting[] FLYWAY_ONLY = {Setting.FLYWAY_LOCATIONS, Setting.FLYWAY_TABLE, Setting.FLYWAY_SCHEMAS};

    private static final SettingValues NO_VALUES = new SettingValues(ConfigurationFile.of(Path.of("none"), Map.of()));

    private final SettingValues values;

    AppSettingsResolver(SettingValues values) {
        this.values = values;
    }

    AppSettings resolve(String name) {
        String hostProblem = values.hostProblem();
        if (hostProblem != null) {
            return misconfigured(hostProblem);
        }
        List<String> problems = new ArrayList<>();
        String own = values.appProblem(name);
        if (own != null) {
            problems.add(own);
        }
        return resolve(name, problems);
    }

    /** Settings that hold a webapp closed for {@code problem}, with every default, so that nothing else fails. */
    static AppSettings misconfigured(String problem) {
        return new AppSettingsResolver(NO_VALUES).resolve("", new ArrayList<>(List.of(problem)));
    }

    private AppSettings resolve(String name, List<String> problems) {
        String datasource = value(name, Setting.DATASOURCE);
        String jdbcUrl = value(name, Setting.JDBC_URL);
        boolean ownDatasource = ownKey(name, Setting.DATASOURCE);
        // A webapp's own connection setting replaces the host-wide one of the other kind.
        if (datasource != null && jdbcUrl != null && ownDatasource != ownKey(name, Setting.JDBC_URL)) {
            if (ownDatasource) {
                jdbcUrl = null;
            } else {
                datasource = null;
            }
        }
        String jdbcUser = value(name, Setting.JDBC_USER);
        String jdbcPassword = value(name, Setting.JDBC_PASSWORD);
        if (datasource != null && jdbcUrl != null) {
            problems.add(values.at(values.keyFor(name, Setting.JDBC_URL)) + "set either datasource or jdbc.url, not both");
        }
        if (jdbcUrl == null && (jdbcUser != null || jdbcPassword != null)) {
            String key = values.keyFor(name, jdbcUser != null ? Setting.JDBC_USER : Setting.JDBC_PASSWORD);
            problems.add(values.at(key) + "is set but jdbc.url is not");
        }
        AppSettings.Migrations migrations = migrations(name, problems);
        List<String> ignore = value(name, Setting.IGNORE);
        return new AppSettings(datasource, jdbcUrl, jdbcUser, jdbcPassword, migrations,
                value(name, Setting.VERSION_ATTRIBUTE), value(name, Setting.VERSION_QUERY),
                value(name, Setting.INSTALL_TOKEN), value(name, Setting.LICENSE_FILE),
                value(name, Setting.MAINTENANCE_PAGE), ignore == null ? List.of() : ignore,
                value(name, Setting.BACKUP_ALLOW_OWN), value(name, Setting.BACKUP_PG_DUMP),
                problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** The engine and its settings; a webapp's own key of the other engine than the one forced is a contradiction. */
    private AppSettings.Migrations migrations(String name, List<String> problems) {
        AppSettings.Engine engine = value(name, Setting.MIGRATIONS);
        // Unset, the changelog is searched for in the bundle among AppSettings.DEFAULT_CHANGELOGS.
        String changelog = (String) values.configured(name, Setting.CHANGELOG);
        AppSettings.Migrations migrations = new AppSettings.Migrations(engine, changelog,
                value(name, Setting.LIQUIBASE_CONTEXTS), value(name, Setting.LIQUIBASE_LABELS),
                value(name, Setting.LIQUIBASE_TABLE), value(name, Setting.LIQUIBASE_LOCK_TABLE),
                value(name, Setting.LIQUIBASE_DEFAULT_SCHEMA), value(name, Setting.FLYWAY_LOCATIONS),
                value(name, Setting.FLYWAY_TABLE), value(name, Setting.FLYWAY_SCHEMAS));
        Setting[] otherEngine = engine == AppSettings.Engine.FLYWAY ? LIQUIBASE_ONLY
                : engine == AppSettings.Engine.LIQUIBASE ? FLYWAY_ONLY : new Setting[0];
        for (Setting setting : otherEngine) {
            if (ownKey(name, setting)) {
                problems.add(values.at(values.keyFor(name, setting)) + "contradicts "
                        + values.keyFor(name, Setting.MIGRATIONS) + "=" + engine.name().toLowerCase(Locale.ROOT)
                        + ": " + setting.key() + " is for the other engine");
            }
        }
        return migrations;
    }

    private boolean ownKey(String app, Setting setting) {
        return !values.keyFor(app, setting).equals(setting.key());
    }

    /** The webapp's value, else the host-wide one, else the default. */
    @SuppressWarnings("unchecked")
    private <T> T value(String app, Setting setting) {
        return (T) values.value(app, setting);
    }
}
