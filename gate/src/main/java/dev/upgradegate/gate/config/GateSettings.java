package dev.upgradegate.gate.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The host's settings, read once from one properties file, every value typed and validated at load. Immutable.
 * A file that cannot be read or holds a bad host-wide value leaves {@link #problem()} set, and every webapp is then
 * misconfigured (unless {@link LastGoodConfiguration} has a good copy to use instead); a bad value under
 * {@code app.<name>.} touches that webapp only.
 */
public final class GateSettings {

    private final ConfigurationFile file;
    private final SettingValues values;
    private final String installPath;
    private final int refreshSeconds;
    private final int dbTimeoutSeconds;
    private final int lockStaleSeconds;
    private final int retryAfterSeconds;
    private final String installToken;
    private final Path tokenFile;
    private final List<AddressRange> installAllow;
    private final boolean requireSecure;
    private final int signInLimit;
    private final int guessLimitGlobal;
    private final List<AddressRange> trustedProxies;
    private final Path backupDir;
    private final String healthPath;

    private GateSettings(ConfigurationFile file) {
        this.file = file;
        this.values = new SettingValues(file);
        this.installPath = host(Setting.INSTALL_PATH);
        this.refreshSeconds = host(Setting.REFRESH_SECONDS);
        this.dbTimeoutSeconds = host(Setting.DB_TIMEOUT_SECONDS);
        this.lockStaleSeconds = host(Setting.LOCK_STALE_SECONDS);
        this.retryAfterSeconds = host(Setting.RETRY_AFTER_SECONDS);
        this.installToken = (String) values.configured(null, Setting.INSTALL_TOKEN);
        this.tokenFile = host(Setting.INSTALL_TOKEN_FILE);
        // A list that cannot be read lets no one in, rather than everyone.
        this.installAllow = values.refused(Setting.INSTALL_ALLOW) ? List.of() : host(Setting.INSTALL_ALLOW);
        this.requireSecure = host(Setting.INSTALL_REQUIRE_SECURE);
        this.signInLimit = host(Setting.INSTALL_SIGN_IN_LIMIT);
        this.guessLimitGlobal = host(Setting.INSTALL_GUESS_LIMIT_GLOBAL);
        List<AddressRange> proxies = host(Setting.INSTALL_TRUSTED_PROXIES);
        this.trustedProxies = proxies == null ? List.of() : proxies;
        Path backups = (Path) values.configured(null, Setting.BACKUP_DIR);
        this.backupDir = backups != null ? backups : defaultBackupDir(values.folder());
        this.healthPath = host(Setting.HEALTH_PATH);
    }

    @SuppressWarnings("unchecked")
    private <T> T host(Setting setting) {
        return (T) values.value(null, setting);
    }

    /** Under $CATALINA_BASE where there is one, so backups stay with the server they belong to. */
    private static Path defaultBackupDir(Path folder) {
        String base = System.getProperty("catalina.base");
        return (Path) SettingValues.defaultOf(Setting.BACKUP_DIR,
                base != null ? Path.of(base) : folder != null ? folder : Path.of("."));
    }

    /** Reads {@code file}. Never throws: what is wrong is kept in {@link #problem()} and per webapp. */
    public static GateSettings load(Path file) {
        return new GateSettings(ConfigurationFile.read(file));
    }

    /** Settings from a map, for embedders and tests; {@code source} only names them in messages. */
    public static GateSettings of(Path source, Map<String, String> values) {
        return new GateSettings(ConfigurationFile.of(source, values));
    }

    /**
     * These settings with {@code overrides} set over the file's values, read as the file's are; messages about
     * the file's own keys still name their lines. For the CLI, whose command line may stand in for the file.
     */
    public GateSettings with(Map<String, String> overrides) {
        return new GateSettings(file.with(overrides));
    }

    /** The effective settings of the webapp named {@code name} ({@code shop} for /shop, {@code ROOT} for /). */
    public AppSettings forApp(String name) {
        return new AppSettingsResolver(values).resolve(name);
    }

    /**
     * The webapps the file names, as {@code app.NAME.jdbc.url} or {@code app.NAME.datasource}, sorted; others
     * may still be gated by the host-wide keys (see {@link #gatesEveryWebapp()}).
     */
    public List<String> webapps() {
        TreeSet<String> names = new TreeSet<>();
        for (String key : values.keys()) {
            for (Setting connection : new Setting[] {Setting.JDBC_URL, Setting.DATASOURCE}) {
                String suffix = "." + connection.key();
                if (key.startsWith("app.") && key.endsWith(suffix) && key.length() > 4 + suffix.length()) {
                    names.add(key.substring(4, key.length() - suffix.length()));
                }
            }
        }
        return List.copyOf(names);
    }

    /** Whether a host-wide {@code jdbc.url} or {@code datasource} gates every webapp. */
    public boolean gatesEveryWebapp() {
        return values.has(Setting.JDBC_URL.key()) || values.has(Setting.DATASOURCE.key());
    }

    /** The keys, as written in the file, that hold a secret (a token or a password), host-wide or per webapp. */
    public List<String> secretKeys() {
        return values.secretKeys();
    }

    /** What is worth changing but works, each naming the file, line and key: old spellings of keys. */
    public List<String> warnings() {
        return values.warnings();
    }

    public Path source() {
        return file.source();
    }

    /** What is wrong host-wide, naming the file, line and key; {@code null} when nothing is. */
    public String problem() {
        return values.hostProblem();
    }

    public String installPath() {
        return installPath;
    }

    public int refreshSeconds() {
        return refreshSeconds;
    }

    public int dbTimeoutSeconds() {
        return dbTimeoutSeconds;
    }

    public int lockStaleSeconds() {
        return lockStaleSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /** The host's token, or {@code null} when one is to be generated. */
    public String installToken() {
        return installToken;
    }

    public Path tokenFile() {
        return tokenFile;
    }

    /** The ranges that may reach the install endpoint, or {@code null} for every address. */
    public List<AddressRange> installAllow() {
        return installAllow;
    }

    public boolean requireSecure() {
        return requireSecure;
    }

    /** Failed sign-ins a client address may make per minute. */
    public int signInLimit() {
        return signInLimit;
    }

    /** Wrong secrets per minute, from every address together, past which only addresses that have not failed may try. */
    public int guessLimitGlobal() {
        return guessLimitGlobal;
    }

    /** Peers whose forwarded client address (as RemoteIpValve sets it) is believed; empty for none. */
    public List<AddressRange> trustedProxies() {
        return trustedProxies;
    }

    /** The folder that holds a folder of backups per webapp. */
    public Path backupDir() {
        return backupDir;
    }

    /** The host-wide readiness URL, or {@code null} for none. */
    public String healthPath() {
        return healthPath;
    }
}
