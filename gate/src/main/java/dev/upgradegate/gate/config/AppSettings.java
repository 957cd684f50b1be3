package dev.upgradegate.gate.config;

import java.nio.file.Path;
import java.util.List;

/** One webapp's effective settings, or the reason they are unusable. Immutable. */
public final class AppSettings {

    /**
     * Where webapps keep the master changelog when none is configured, in the order looked for: Liquibase's
     * and Spring Boot's defaults ({@link Setting#CHANGELOG}'s default), in each format Liquibase reads.
     */
    public static final List<String> DEFAULT_CHANGELOGS = changelogsLike(Setting.CHANGELOG.defaultValue());

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
    private final String liquibaseDefaultSchema;
    private final List<String> flywayLocations;
    private final String flywayTable;
    private final List<String> flywaySchemas;
    private final String versionAttribute;
    private final String versionQuery;
    private final String installToken;
    private final Path licenseFile;
    private final Path maintenancePage;
    private final List<String> ignore;
    private final boolean allowOwnBackup;
    private final String pgDump;
    private final String problem;

    AppSettings(String datasource, String jdbcUrl, String jdbcUser, String jdbcPassword, Migrations migrations,
                String versionAttribute, String versionQuery, String installToken, Path licenseFile,
                Path maintenancePage, List<String> ignore, boolean allowOwnBackup, String pgDump, String problem) {
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
        this.liquibaseDefaultSchema = migrations.liquibaseDefaultSchema;
        this.flywayLocations = migrations.flywayLocations;
        this.flywayTable = migrations.flywayTable;
        this.flywaySchemas = migrations.flywaySchemas;
        this.versionAttribute = versionAttribute;
        this.versionQuery = versionQuery;
        this.installToken = installToken;
        this.licenseFile = licenseFile;
        this.maintenancePage = maintenancePage;
        this.ignore = ignore;
        this.allowOwnBackup = allowOwnBackup;
        this.pgDump = pgDump;
        this.problem = problem;
    }

    private static List<String> changelogsLike(String xml) {
        String base = xml.substring(0, xml.lastIndexOf('.'));
        return List.of(xml, base + ".yaml", base + ".yml", base + ".json", base + ".sql");
    }

    /** Settings that hold a webapp closed for {@code problem}, with every default, so that nothing else fails. */
    public static AppSettings misconfigured(String problem) {
        return AppSettingsResolver.misconfigured(problem);
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

    /** Liquibase's default schema, or {@code null} for the connection's current one. */
    public String liquibaseDefaultSchema() {
        return liquibaseDefaultSchema;
    }

    /** Flyway's locations, each a class path folder such as {@code db/migration}. */
    public List<String> flywayLocations() {
        return flywayLocations;
    }

    public String flywayTable() {
        return flywayTable;
    }

    /** The schemas Flyway manages, the first holding its history; empty for the connection's current one. */
    public List<String> flywaySchemas() {
        return flywaySchemas;
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

    /**
     * Patterns of paths inside the webapp that always pass, each starting with {@code /}, as {@link Setting#IGNORE}
     * reads them; empty for none.
     */
    public List<String> ignore() {
        return ignore;
    }

    /** Whether the administrator may skip UpgradeGate's backup for one of their own. */
    public boolean allowOwnBackup() {
        return allowOwnBackup;
    }

    /** The pg_dump to back a PostgreSQL database up with: a path, or a name to look up on PATH. */
    public String pgDump() {
        return pgDump;
    }

    /** The migration settings of one webapp, as {@link AppSettingsResolver} resolved them; defaults where unset. */
    static final class Migrations {
        final Engine engine;
        final String changelog;
        final String contexts;
        final String labels;
        final String liquibaseTable;
        final String liquibaseLockTable;
        final String liquibaseDefaultSchema;
        final List<String> flywayLocations;
        final String flywayTable;
        final List<String> flywaySchemas;

        Migrations(Engine engine, String changelog, String contexts, String labels, String liquibaseTable,
                   String liquibaseLockTable, String liquibaseDefaultSchema, List<String> flywayLocations,
                   String flywayTable, List<String> flywaySchemas) {
            this.engine = engine;
            this.changelog = changelog;
            this.contexts = contexts;
            this.labels = labels;
            this.liquibaseTable = liquibaseTable;
            this.liquibaseLockTable = liquibaseLockTable;
            this.liquibaseDefaultSchema = liquibaseDefaultSchema;
            this.flywayLocations = flywayLocations;
            this.flywayTable = flywayTable;
            this.flywaySchemas = flywaySchemas == null ? List.of() : flywaySchemas;
        }
    }
}
