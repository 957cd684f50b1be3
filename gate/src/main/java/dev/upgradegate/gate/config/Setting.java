package dev.upgradegate.gate.config;

import java.util.Map;

import dev.upgradegate.migrations.MigrationEngine;

/**
 * Every configuration key with its type, range, default, scope and meaning: the one place each default lives,
 * which the loader validates against and docs/configuration.md is checked against.
 */
public enum Setting {

    INSTALL_PATH("install.path", Scope.HOST, SettingType.URL_PATH, "/install", null,
            "Path of the install endpoint inside every gated webapp."),
    INSTALL_TOKEN("install.token", Scope.WEBAPP, SettingType.TOKEN, null, "none: generated",
            "Bearer token for the install endpoint. Unset: one is generated at start and written to install.tokenFile."),
    INSTALL_TOKEN_FILE("install.tokenFile", Scope.HOST, SettingType.FILE, "upgradegate-install.token",
            "upgradegate-install.token beside the configuration file",
            "Where a generated token is written, readable by its owner only."),
    LOCK_STALE_SECONDS("lock.staleSeconds", 120, 8, 86_400,
            "Seconds without a heartbeat after which a running upgrade's lock counts as stale and may be released."),
    REFRESH_SECONDS("refresh.seconds", 2, 1, 3600,
            "How old a webapp's cached state may grow before one thread checks the database again."),
    DB_TIMEOUT_SECONDS("db.timeoutSeconds", 5, 1, 300,
            "Seconds each database round trip of a state check may take (connect, then every read), so a hung database is reported DB_UNAVAILABLE instead of stalling; a check still running after twice this is abandoned. Upgrades and backups are not bounded by it."),
    RETRY_AFTER_SECONDS("retry.afterSeconds", 60, 1, 86_400,
            "Retry-After sent with every maintenance response."),
    DATASOURCE("datasource", Scope.WEBAPP, SettingType.TEXT, null, null,
            "JNDI name of the webapp's own DataSource (e.g. jdbc/ShopDB), looked up in its java:comp/env."),
    JDBC_URL("jdbc.url", Scope.WEBAPP, SettingType.JDBC_URL, null, null,
            "JDBC URL of the webapp's database, instead of datasource."),
    JDBC_USER("jdbc.user", Scope.WEBAPP, SettingType.TEXT, null, null, "User for jdbc.url."),
    JDBC_PASSWORD("jdbc.password", Scope.WEBAPP, SettingType.SECRET, null, null, "Password for jdbc.url."),
    MIGRATIONS("migrations", Scope.WEBAPP, SettingType.ENGINE, null, "auto-detected",
            "The webapp's migration engine: liquibase or flyway. Unset: liquibase where the bundle has the changelog, else flyway where it has migrations in flyway.locations."),
    CHANGELOG("changelog", Scope.WEBAPP, SettingType.CLASS_PATH_FILE, "db/changelog/db.changelog-master.xml", null,
            "The webapp's Liquibase changelog, in its class path. Unset: the first the bundle has of the default and the same name in .yaml, .yml, .json or .sql."),
    // The liquibase.* keys are built, not literals: see MigrationEngine.LIQUIBASE.
    LIQUIBASE_CONTEXTS(MigrationEngine.LIQUIBASE + ".contexts", Scope.WEBAPP, SettingType.TEXT, null,
            "none: every changeset",
            "Liquibase contexts to run (e.g. prod), as the webapp's own Liquibase would be given them."),
    LIQUIBASE_LABELS(MigrationEngine.LIQUIBASE + ".labels", Scope.WEBAPP, SettingType.TEXT, null,
            "none: every changeset", "A Liquibase label expression (e.g. !demo and v2)."),
    LIQUIBASE_TABLE(MigrationEngine.LIQUIBASE + ".table", Scope.WEBAPP, SettingType.TABLE, "DATABASECHANGELOG", null,
            "Liquibase's history table, for webapps that renamed it."),
    LIQUIBASE_LOCK_TABLE(MigrationEngine.LIQUIBASE + ".lockTable", Scope.WEBAPP, SettingType.TABLE,
            "DATABASECHANGELOGLOCK", null, "Liquibase's lock table, for webapps that renamed it."),
    LIQUIBASE_DEFAULT_SCHEMA(MigrationEngine.LIQUIBASE + ".defaultSchema", Scope.WEBAPP, SettingType.SCHEMA, null,
            "none: the connection's current schema",
            "Liquibase's default schema, where the webapp's changesets and Liquibase's own tables live, for webapps that set it (defaultSchemaName)."),
    FLYWAY_LOCATIONS("flyway.locations", Scope.WEBAPP, SettingType.CLASS_PATH_FOLDERS, "db/migration", null,
            "Comma-separated class path folders of the webapp's Flyway migrations (classpath: prefix optional)."),
    FLYWAY_TABLE("flyway.table", Scope.WEBAPP, SettingType.TABLE, "flyway_schema_history", null,
            "Flyway's history table."),
    FLYWAY_SCHEMAS("flyway.schemas", Scope.WEBAPP, SettingType.SCHEMAS, null, "none: the connection's current schema",
            "Comma-separated schemas Flyway manages, for webapps that set them; the first holds Flyway's history table."),
    VERSION_ATTRIBUTE("version.attribute", Scope.WEBAPP, SettingType.ATTRIBUTE, "Implementation-Version", null,
            "Main attribute of META-INF/MANIFEST.MF that holds the bundle's version; without it, the version of the bundle's single META-INF/maven/*/*/pom.properties."),
    VERSION_QUERY("version.query", Scope.WEBAPP, SettingType.TEXT, null, null,
            "SQL returning the schema version as a single value, for legacy webapps that keep it in a row: the webapp is UP when it equals the bundle's version. Unset: the migrations decide."),
    IGNORE("ignore", Scope.WEBAPP, SettingType.PATH_PATTERNS, null, null,
            "Comma-separated paths inside the webapp that always pass, whatever its state (e.g. /healthz, /static/**, /*.css): * matches within a path segment, ** across segments. The webapp's filters, a front controller mapped to / and its error pages all run for them."),
    MAINTENANCE_PAGE("maintenance.page", Scope.WEBAPP, SettingType.FILE, null, "none: the built-in page",
            "An HTML template for the maintenance page, with {{state}}, {{code}}, {{retryAfter}} and {{message}} (escaped). Relative paths are resolved against the configuration file's folder; reloaded when it changes."),
    HEALTH_PATH("health.path", Scope.HOST, SettingType.URL_PATH, null, "none: no health URL",
            "A host-wide readiness URL (e.g. /upgradegate/health): 200 when every gated webapp is UP, else 503, with a JSON entry per webapp."),
    INSTALL_ALLOW("install.allow", Scope.HOST, SettingType.ADDRESS_RANGES, null, "any address",
            "Comma-separated CIDR ranges (e.g. 127.0.0.0/8, 10.0.0.0/8, ::1/128) of client addresses that may reach the install endpoint; others get 404."),
    INSTALL_REQUIRE_SECURE("install.requireSecure", Scope.HOST, SettingType.FLAG, "true", null,
            "Refuse the install endpoint over plain HTTP, except from loopback. Behind a proxy, Tomcat's RemoteIpValve tells what is secure."),
    INSTALL_TRUSTED_PROXIES("install.trustedProxies", Scope.HOST, SettingType.ADDRESS_RANGES, null,
            "none: the TCP peer is the client",
            "Comma-separated CIDR ranges of proxies whose forwarded client address (as Tomcat's RemoteIpValve sets it) install.allow, the requireSecure loopback exemption and the guess limits use; from any other peer they use the peer's own address."),
    INSTALL_SIGN_IN_LIMIT("install.signInLimit", 5, 1, 1000,
            "Wrong secrets a client address may present per sliding minute, counted together over the install token (API and wizard sign-in) and the bypass URL, host-wide; then 429 with Retry-After."),
    INSTALL_GUESS_LIMIT_GLOBAL("install.guessLimitGlobal", 100, 1, 100_000,
            "Wrong secrets per sliding minute from all addresses together; past it, an address that has failed in the minute gets 429 and any other one attempt."),
    BACKUP_DIR("backup.dir", Scope.HOST, SettingType.FILE, "upgradegate-backups", "${catalina.base}/upgradegate-backups",
            "Where the wizard writes each webapp's backups, in a folder per webapp. Relative paths are resolved against the configuration file's folder."),
    BACKUP_ALLOW_OWN("backup.allowOwn", Scope.WEBAPP, SettingType.FLAG, "false", null,
            "Whether the wizard offers \"I have my own backup\" instead of making one."),
    BACKUP_PG_DUMP("backup.pgDump", Scope.WEBAPP, SettingType.TEXT, "pg_dump", "pg_dump, looked up on PATH",
            "The pg_dump the wizard backs a PostgreSQL database up with: a path, or a name looked up on the server's PATH. Use the server's major version or newer. Not found, the wizard offers only the administrator's own backup."),
    LICENSE_FILE("license.file", Scope.WEBAPP, SettingType.FILE, null, "none: the bundle's META-INF/LICENSE*",
            "A text file whose content the wizard shows as the licence to agree to, instead of the bundle's own.");

    /** Where a key may be set. */
    public enum Scope {
        /** Host-wide only. */
        HOST,
        /** Host-wide, or for one webapp as {@code app.<name>.<key>}. */
        WEBAPP
    }

    /** Spellings from before the one key style; still read, with a warning naming the new key. */
    private static final Map<String, Setting> OLD_SPELLINGS = Map.of(
            "retry.after.seconds", RETRY_AFTER_SECONDS,
            "install.token.file", INSTALL_TOKEN_FILE);

    /** Shorter tokens could be guessed. */
    private static final int MIN_TOKEN_LENGTH = 16;

    private final String key;
    private final Scope scope;
    private final SettingType type;
    private final String defaultValue;
    private final String defaultNote;
    private final int min;
    private final int max;
    private final String description;

    Setting(String key, Scope scope, SettingType type, String defaultValue, String defaultNote, String description) {
        this.key = key;
        this.scope = scope;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultNote = defaultNote;
        this.min = type == SettingType.TOKEN ? MIN_TOKEN_LENGTH : 0;
        this.max = 0;
        this.description = description;
    }

    /** A host-wide whole number from {@code min} to {@code max}. */
    Setting(String key, int defaultValue, int min, int max, String description) {
        this.key = key;
        this.scope = Scope.HOST;
        this.type = SettingType.NUMBER;
        this.defaultValue = Integer.toString(defaultValue);
        this.defaultNote = null;
        this.min = min;
        this.max = max;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** Whether {@code app.<name>.<key>} may set it for one webapp. */
    public boolean perWebapp() {
        return scope == Scope.WEBAPP;
    }

    public SettingType type() {
        return type;
    }

    /** Secrets are never echoed in a log line or an error. */
    public boolean secret() {
        return type == SettingType.TOKEN || type == SettingType.SECRET;
    }

    /** The default as it would be written in the file, read as any value is; {@code null} for none. */
    public String defaultValue() {
        return defaultValue;
    }

    /** The default as docs/configuration.md states it: what no literal says, else the literal; {@code null} for none. */
    public String documentedDefault() {
        return defaultNote != null ? defaultNote : defaultValue;
    }

    /** The smallest number a {@link SettingType#NUMBER} takes, or the shortest a {@link SettingType#TOKEN} is. */
    public int min() {
        return min;
    }

    /** The largest number a {@link SettingType#NUMBER} takes. */
    public int max() {
        return max;
    }

    public String description() {
        return description;
    }

    /** The spelling this key had before the one key style, or {@code null}. */
    public String oldKey() {
        for (Map.Entry<String, Setting> old : OLD_SPELLINGS.entrySet()) {
            if (old.getValue() == this) {
                return old.getKey();
            }
        }
        return null;
    }

    static Setting byKey(String key) {
        for (Setting setting : values()) {
            if (setting.key.equals(key)) {
                return setting;
            }
        }
        return null;
    }

    /** The setting {@code key} is an old spelling of, or {@code null}. */
    static Setting byOldKey(String key) {
        return OLD_SPELLINGS.get(key);
    }
}
