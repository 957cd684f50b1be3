package dev.upgradegate.gate.config;

import dev.upgradegate.migrations.MigrationEngine;

/**
 * Every configuration key, its default and what it does: the one list the loader validates against
 * and the reference in docs/configuration.md is checked against.
 */
public enum Setting {

    INSTALL_PATH("install.path", GateSettings.DEFAULT_INSTALL_PATH, false, false,
            "Path of the install endpoint inside every gated webapp."),
    INSTALL_TOKEN("install.token", null, true, true,
            "Bearer token for the install endpoint. Unset: one is generated at start and written to install.token.file."),
    INSTALL_TOKEN_FILE("install.token.file", "upgradegate-install.token beside the configuration file", false, false,
            "Where a generated token is written, readable by its owner only."),
    LOCK_STALE_SECONDS("lock.staleSeconds", String.valueOf(GateSettings.DEFAULT_LOCK_STALE_SECONDS), false, false,
            "Seconds without a heartbeat after which a running upgrade's lock counts as stale and may be released."),
    REFRESH_SECONDS("refresh.seconds", String.valueOf(GateSettings.DEFAULT_REFRESH_SECONDS), false, false,
            "How old a webapp's cached state may grow before one thread checks the database again."),
    DB_TIMEOUT_SECONDS("db.timeoutSeconds", String.valueOf(GateSettings.DEFAULT_DB_TIMEOUT_SECONDS), false, false,
            "Seconds each database round trip of a state check may take (connect, then every read), so a hung database is reported DB_UNAVAILABLE instead of stalling; a check still running after twice this is abandoned. Upgrades and backups are not bounded by it (1-300)."),
    RETRY_AFTER_SECONDS("retry.after.seconds", String.valueOf(GateSettings.DEFAULT_RETRY_AFTER_SECONDS), false, false,
            "Retry-After sent with every maintenance response."),
    DATASOURCE("datasource", null, true, false,
            "JNDI name of the webapp's own DataSource (e.g. jdbc/ShopDB), looked up in its java:comp/env."),
    JDBC_URL("jdbc.url", null, true, false,
            "JDBC URL of the webapp's database, instead of datasource."),
    JDBC_USER("jdbc.user", null, true, false, "User for jdbc.url."),
    JDBC_PASSWORD("jdbc.password", null, true, true, "Password for jdbc.url."),
    MIGRATIONS("migrations", "auto-detected", true, false,
            "The webapp's migration engine: liquibase or flyway. Unset: liquibase where the bundle has the changelog, else flyway where it has migrations in flyway.locations."),
    CHANGELOG("changelog", AppSettings.DEFAULT_CHANGELOG, true, false,
            "The webapp's Liquibase changelog, in its class path. Unset: the first the bundle has of the default and the same name in .yaml, .yml, .json or .sql."),
    // The liquibase.* keys are built, not literals: see MigrationEngine.LIQUIBASE.
    LIQUIBASE_CONTEXTS(MigrationEngine.LIQUIBASE + ".contexts", "none: every changeset", true, false,
            "Liquibase contexts to run (e.g. prod), as the webapp's own Liquibase would be given them."),
    LIQUIBASE_LABELS(MigrationEngine.LIQUIBASE + ".labels", "none: every changeset", true, false,
            "A Liquibase label expression (e.g. !demo and v2)."),
    LIQUIBASE_TABLE(MigrationEngine.LIQUIBASE + ".table", AppSettings.DEFAULT_LIQUIBASE_TABLE, true, false,
            "Liquibase's history table, for webapps that renamed it."),
    LIQUIBASE_LOCK_TABLE(MigrationEngine.LIQUIBASE + ".lockTable", AppSettings.DEFAULT_LIQUIBASE_LOCK_TABLE, true, false,
            "Liquibase's lock table, for webapps that renamed it."),
    FLYWAY_LOCATIONS("flyway.locations", AppSettings.DEFAULT_FLYWAY_LOCATION, true, false,
            "Comma-separated class path folders of the webapp's Flyway migrations (classpath: prefix optional)."),
    FLYWAY_TABLE("flyway.table", AppSettings.DEFAULT_FLYWAY_TABLE, true, false,
            "Flyway's history table."),
    VERSION_ATTRIBUTE("version.attribute", AppSettings.DEFAULT_VERSION_ATTRIBUTE, true, false,
            "Main attribute of META-INF/MANIFEST.MF that holds the bundle's version; without it, the version of the bundle's single META-INF/maven/*/*/pom.properties."),
    VERSION_QUERY("version.query", null, true, false,
            "SQL returning the schema version as a single value, for legacy webapps that keep it in a row: the webapp is UP when it equals the bundle's version. Unset: the migrations decide."),
    IGNORE("ignore", null, true, false,
            "Comma-separated paths inside the webapp that always pass, whatever its state (e.g. /healthz, /static/**, /*.css): * matches within a path segment, ** across segments. The webapp's filters, a front controller mapped to / and its error pages all run for them."),
    MAINTENANCE_PAGE("maintenance.page", "none: the built-in page", true, false,
            "An HTML template for the maintenance page, with {{state}}, {{code}}, {{retryAfter}} and {{message}} (escaped). Relative paths are resolved against the configuration file's folder; reloaded when it changes."),
    HEALTH_PATH("health.path", "none: no health URL", false, false,
            "A host-wide readiness URL (e.g. /upgradegate/health): 200 when every gated webapp is UP, else 503, with a JSON entry per webapp."),
    INSTALL_ALLOW("install.allow", "any address", false, false,
            "Comma-separated CIDR ranges (e.g. 127.0.0.0/8, 10.0.0.0/8, ::1/128) of client addresses that may reach the install endpoint; others get 404."),
    INSTALL_REQUIRE_SECURE("install.requireSecure", "true", false, false,
            "Refuse the install endpoint over plain HTTP, except from loopback. Behind a proxy, Tomcat's RemoteIpValve tells what is secure."),
    INSTALL_TRUSTED_PROXIES("install.trustedProxies", "none: the TCP peer is the client", false, false,
            "Comma-separated CIDR ranges of proxies whose forwarded client address (as Tomcat's RemoteIpValve sets it) install.allow, the requireSecure loopback exemption and the guess limits use; from any other peer they use the peer's own address."),
    INSTALL_SIGN_IN_LIMIT("install.signInLimit", String.valueOf(GateSettings.DEFAULT_SIGN_IN_LIMIT), false, false,
            "Wrong secrets a client address may present per sliding minute, counted together over the install token (API and wizard sign-in) and the bypass URL, host-wide; then 429 with Retry-After (1-1000)."),
    INSTALL_GUESS_LIMIT_GLOBAL("install.guessLimitGlobal", String.valueOf(GateSettings.DEFAULT_GUESS_LIMIT_GLOBAL),
            false, false,
            "Wrong secrets per sliding minute from all addresses together; past it, an address that has failed in the minute gets 429 and any other one attempt (1-100000)."),
    BACKUP_DIR("backup.dir", "${catalina.base}/upgradegate-backups", false, false,
            "Where the wizard writes each webapp's backups, in a folder per webapp. Relative paths are resolved against the configuration file's folder."),
    BACKUP_ALLOW_OWN("backup.allowOwn", "false", true, false,
            "Whether the wizard offers \"I have my own backup\" instead of making one."),
    LICENSE_FILE("license.file", "none: the bundle's META-INF/LICENSE*", true, false,
            "A text file whose content the wizard shows as the licence to agree to, instead of the bundle's own.");

    private final String key;
    private final String defaultValue;
    private final boolean perWebapp;
    private final boolean secret;
    private final String description;

    Setting(String key, String defaultValue, boolean perWebapp, boolean secret, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.perWebapp = perWebapp;
        this.secret = secret;
        this.description = description;
    }

    public String key() {
        return key;
    }

    /** The default as docs/configuration.md states it, or {@code null} for none. */
    public String defaultValue() {
        return defaultValue;
    }

    /** Whether {@code app.<name>.<key>} may set it for one webapp. */
    public boolean perWebapp() {
        return perWebapp;
    }

    /** Secrets are never echoed in a log line or an error. */
    public boolean secret() {
        return secret;
    }

    public String description() {
        return description;
    }

    static Setting byKey(String key) {
        for (Setting setting : values()) {
            if (setting.key.equals(key)) {
                return setting;
            }
        }
        return null;
    }
}
