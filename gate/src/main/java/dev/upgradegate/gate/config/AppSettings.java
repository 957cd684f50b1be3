package dev.upgradegate.gate.config;

import java.nio.file.Path;

/** One webapp's effective settings, or the reason they are unusable. Immutable. */
public final class AppSettings {

    public static final String DEFAULT_CHANGELOG = "db/changelog/db.changelog-master.xml";
    public static final String DEFAULT_VERSION_ATTRIBUTE = "Implementation-Version";

    private final String datasource;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final String changelog;
    private final String versionAttribute;
    private final String versionQuery;
    private final String installToken;
    private final Path licenseFile;
    private final boolean allowOwnBackup;
    private final String problem;

    AppSettings(String datasource, String jdbcUrl, String jdbcUser, String jdbcPassword, String changelog,
                String versionAttribute, String versionQuery, String installToken, Path licenseFile,
                boolean allowOwnBackup, String problem) {
        this.datasource = datasource;
        this.jdbcUrl = jdbcUrl;
        this.jdbcUser = jdbcUser;
        this.jdbcPassword = jdbcPassword;
        this.changelog = changelog;
        this.versionAttribute = versionAttribute;
        this.versionQuery = versionQuery;
        this.installToken = installToken;
        this.licenseFile = licenseFile;
        this.allowOwnBackup = allowOwnBackup;
        this.problem = problem;
    }

    static AppSettings misconfigured(String problem) {
        return new AppSettings(null, null, null, null, DEFAULT_CHANGELOG, DEFAULT_VERSION_ATTRIBUTE, null, null, null,
                false, problem);
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

    public String changelog() {
        return changelog;
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

    /** Whether the administrator may skip UpgradeGate's backup for one of their own. */
    public boolean allowOwnBackup() {
        return allowOwnBackup;
    }
}
