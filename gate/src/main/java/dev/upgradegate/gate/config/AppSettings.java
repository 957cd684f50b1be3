package dev.upgradegate.gate.config;

import java.nio.file.Path;
import java.util.List;

/** One webapp's effective settings, or the reason they are unusable. Immutable. */
public final class AppSettings {

    public static final String DEFAULT_CHANGELOG = "db/changelog/db.changelog-master.xml";
    /**
     * Where webapps keep the master changelog when none is configured, in the order looked for: Liquibase's
     * and Spring Boot's defaults, in each format Liquibase reads.
     */
    public static final List<String> DEFAULT_CHANGELOGS = List.of(DEFAULT_CHANGELOG,
            "db/changelog/db.changelog-master.yaml", "db/changelog/db.changelog-master.yml",
            "db/changelog/db.changelog-master.json", "db/changelog/db.changelog-master.sql");
    public static final String DEFAULT_VERSION_ATTRIBUTE = "Implementation-Version";
    public static final String DEFAULT_LIQUIBASE_TABLE = "DATABASECHANGELOG";
    public static final String DEFAULT_LIQUIBASE_LOCK_TABLE = "DATABASECHANGELOGLOCK";
    public static final String DEFAULT_FLYWAY_LOCATION = "db/migration";
    public static final String DEFAULT_FLYWAY_TABLE = "flyway_schema_history";

    /** The engines {@code migrations} may name. */
    public enum Engine { LIQUIBASE, FLYWAY }

    private final String datasource;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final Engine engine;
    private final String changelog;
    private final String liquibaseContexts;
    private final String liquibaseLabels;
    private final String liquibaseTable;
    private final String liquibaseLockTable;
    private final List<String> flywayLocations;
    private final String flywayTable;
    private final String versionAttribute;
    private final String versionQuery;
    private final String installToken;
    private final Path licenseFile;
    private final Path maintenancePage;
    private final boolean allowOwnBackup;
    private final String problem;

    AppSettings(String datasource, String jdbcUrl, String jdbcUser, String jdbcPassword, Migrations migrations,
                String versionAttribute, String versionQuery, String installToken, Path licenseFile,
                Path maintenancePage, boolean allowOwnBackup, String problem) {
        this.datasource = datasource;
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.jdbcPassword = jdbcPassword;
        this.engine = migrations.engine;
        this.changelog = migrations.changelog;
        this.liquibaseContexts = migrations.contexts;
        this.liquibaseLabels = migrations.labels;
        this.liquibaseTable = migrations.liquibaseTable;
        this.liquibaseLockTable = migrations.liquibaseLockTable;
        this.flywayLocations = migrations.flywayLocations;
        this.flywayTable = migrations.flywayTable;
        this.versionAttribute = versionAttribute;
        this.versionQuery = versionQuery;
        this.installToken = installToken;
        this.licenseFile = licenseFile;
        this.maintenancePage = maintenancePage;
        this.allowOwnBackup = allowOwnBackup;
        this.problem = problem;
    }

    public static AppSettings misconfigured(String problem) {
        return new AppSettings(null, null, null, null, new Migrations(), DEFAULT_VERSION_ATTRIBUTE, null, null, null,
                null, false, problem);
    }

    /** Whether the webapp has a database to compare with; one without is never gated. */
    public boolean gated() {
        return problem != null || datasource != null || jdbcUrl != null;
    }

    /** What is wrong with the settings, naming the file, line and key; {@code null} when they are fine. */
    public String problem() {
        return problem;
    }

    public String datasource() {
        return datasource;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jdbcUser() {
        return jdbcUser;
    }

    public String jdbcPassword() {
        return jdbcPassword;
    }

    /** The engine the settings force, or {@code null} to detect it from the bundle. */
    public Engine engine() {
        return engine;
    }

    /** The changelog the settings name, or {@code null} to look for one of {@link #DEFAULT_CHANGELOGS}. */
    public String changelog() {
        return changelog;
    }

    /** Liquibase contexts, or {@code null} for every changeset. */
    public String liquibaseContexts() {
        return liquibaseContexts;
    }

    /** A Liquibase label expression, or {@code null} for every changeset. */
    public String liquibaseLabels() {
        return liquibaseLabels;
    }

    public String liquibaseTable() {
        return liquibaseTable;
    }

    public String liquibaseLockTable() {
        return liquibaseLockTable;
    }

    /** Flyway's locations, each a class path folder such as {@code db/migration}. */
    public List<String> flywayLocations() {
        return flywayLocations;
    }

    public String flywayTable() {
        return flywayTable;
    }

    public String versionAttribute() {
        return versionAttribute;
    }

    public String versionQuery() {
        return versionQuery;
    }

    /** This webapp's own token, or {@code null} to use the host's. */
    public String installToken() {
        return installToken;
    }

    /** A licence text file configured for this webapp, or {@code null} for the bundle's own. */
    public Path licenseFile() {
        return licenseFile;
    }

    /** This webapp's maintenance page template, or {@code null} for the built-in page. */
    public Path maintenancePage() {
        return maintenancePage;
    }

    /** Whether the administrator may skip UpgradeGate's backup for one of their own. */
    public boolean allowOwnBackup() {
        return allowOwnBackup;
    }

    /** The migration settings of one webapp, as {@link GateSettings} validated them; defaults where unset. */
    static final class Migrations {
        Engine engine;
        String changelog;
        String contexts;
        String labels;
        String liquibaseTable = DEFAULT_LIQUIBASE_TABLE;
        String liquibaseLockTable = DEFAULT_LIQUIBASE_LOCK_TABLE;
        List<String> flywayLocations = List.of(DEFAULT_FLYWAY_LOCATION);
        String flywayTable = DEFAULT_FLYWAY_TABLE;
    }
}
