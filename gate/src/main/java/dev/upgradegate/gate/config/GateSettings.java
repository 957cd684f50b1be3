package dev.upgradegate.gate.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import dev.upgradegate.migrations.MigrationEngine;

/**
 * The host's settings, read once from one properties file. Immutable. A file that cannot be read or
 * holds a bad host-wide value leaves {@link #problem()} set, and every webapp is then misconfigured;
 * a bad value under {@code app.<name>.} touches that webapp only.
 */
public final class GateSettings {

    public static final String DEFAULT_INSTALL_PATH = "/install";
    public static final int DEFAULT_REFRESH_SECONDS = 2;
    public static final int DEFAULT_DB_TIMEOUT_SECONDS = 5;
    public static final int DEFAULT_LOCK_STALE_SECONDS = 120;
    public static final int DEFAULT_RETRY_AFTER_SECONDS = 60;
    public static final String DEFAULT_TOKEN_FILE_NAME = "upgradegate-install.token";
    public static final int DEFAULT_SIGN_IN_LIMIT = 5;
    public static final int DEFAULT_GUESS_LIMIT_GLOBAL = 100;
    public static final String DEFAULT_BACKUP_FOLDER = "upgradegate-backups";
    /** Shorter tokens could be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private static final String APP_PREFIX = "app.";
    private static final Pattern INSTALL_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Pattern BAD_ESCAPE = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\u(?![0-9a-fA-F]{4})");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,69}");
    /** A plain table name: no schema, no quoting, nothing that could end the statement it is put into. */
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
    private static final Pattern CLASS_PATH_FOLDER = Pattern.compile("[A-Za-z0-9_$.-]+(/[A-Za-z0-9_$.-]+)*");

    private final Path source;
    private final Map<String, String> values;
    private final List<String> lines;
    private final String problem;
    private final Map<String, String> appProblems;
    private final String installPath;
    private final int refreshSeconds;
    private final int dbTimeoutSeconds;
    private final int lockStaleSeconds;
    private final int retryAfterSeconds;
    private final Path tokenFile;
    private final List<AddressRange> installAllow;
    private final boolean requireSecure;
    private final int signInLimit;
    private final int guessLimitGlobal;
    private final List<AddressRange> trustedProxies;
    private final Path backupDir;

    private GateSettings(Path source, Map<String, String> values, List<String> lines, String readProblem) {
        this.source = source;
        this.values = values;
        this.lines = lines;
        List<String> hostProblems = new ArrayList<>();
        if (readProblem != null) {
            hostProblems.add(readProblem);
        }
        this.appProblems = new HashMap<>();
        checkKeys(hostProblems);
        this.installPath = text(Setting.INSTALL_PATH, DEFAULT_INSTALL_PATH, hostProblems);
        if (!INSTALL_PATH.matcher(installPath).matches() || installPath.contains("/.")) {
            hostProblems.add(at(Setting.INSTALL_PATH.key())
                    + "must be a path such as /install: segments of letters, digits, '.', '_', '~' or '-'");
        }
        this.refreshSeconds = number(Setting.REFRESH_SECONDS, DEFAULT_REFRESH_SECONDS, 1, 3600, hostProblems);
        this.dbTimeoutSeconds = number(Setting.DB_TIMEOUT_SECONDS, DEFAULT_DB_TIMEOUT_SECONDS, 1, 300, hostProblems);
        this.lockStaleSeconds = number(Setting.LOCK_STALE_SECONDS, DEFAULT_LOCK_STALE_SECONDS, 8, 86400,
                hostProblems);
        this.retryAfterSeconds = number(Setting.RETRY_AFTER_SECONDS, DEFAULT_RETRY_AFTER_SECONDS, 1, 86400,
                hostProblems);
        String hostToken = values.get(Setting.INSTALL_TOKEN.key());
        if (hostToken != null && hostToken.trim().length() < MIN_TOKEN_LENGTH) {
            hostProblems.add(at(Setting.INSTALL_TOKEN.key()) + "must be at least " + MIN_TOKEN_LENGTH
                    + " characters long");
        }
        String tokenFileName = values.get(Setting.INSTALL_TOKEN_FILE.key());
        Path directory = source.toAbsolutePath().getParent();
        Path namedTokenFile = tokenFileName != null && !tokenFileName.isBlank()
                ? path(Setting.INSTALL_TOKEN_FILE.key(), null, tokenFileName.trim(), hostProblems) : null;
        this.tokenFile = namedTokenFile != null ? namedTokenFile
                : (directory == null ? Path.of(DEFAULT_TOKEN_FILE_NAME) : directory.resolve(DEFAULT_TOKEN_FILE_NAME));
        this.installAllow = addressRanges(Setting.INSTALL_ALLOW, hostProblems);
        this.requireSecure = flag(Setting.INSTALL_REQUIRE_SECURE, true, hostProblems);
        this.signInLimit = number(Setting.INSTALL_SIGN_IN_LIMIT, DEFAULT_SIGN_IN_LIMIT, 1, 1000, hostProblems);
        this.guessLimitGlobal = number(Setting.INSTALL_GUESS_LIMIT_GLOBAL, DEFAULT_GUESS_LIMIT_GLOBAL, 1, 100_000,
                hostProblems);
        List<AddressRange> proxies = addressRanges(Setting.INSTALL_TRUSTED_PROXIES, hostProblems);
        this.trustedProxies = proxies == null ? List.of() : proxies;
        String backupDirName = text(Setting.BACKUP_DIR, null, hostProblems);
        Path namedBackupDir = backupDirName == null ? null
                : path(Setting.BACKUP_DIR.key(), directory, backupDirName, hostProblems);
        this.backupDir = namedBackupDir != null ? namedBackupDir : defaultBackupDir(directory);
        this.problem = hostProblems.isEmpty() ? null : String.join("; ", hostProblems);
    }

    /**
     * A file named by a setting, relative ones resolved against {@code directory}; {@code null}, with the problem
     * naming the key, for a name no file can have (a NUL, say), which would otherwise throw wherever it is used.
     */
    private Path path(String key, Path directory, String name, List<String> problems) {
        try {
            Path path = Path.of(name);
            return path.isAbsolute() || directory == null ? path : directory.resolve(path);
        } catch (InvalidPathException e) {
            problems.add(at(key) + "is not a valid file name: " + e.getReason());
            return null;
        }
    }

    /** Under $CATALINA_BASE where there is one, so backups stay with the server they belong to. */
    private static Path defaultBackupDir(Path directory) {
        String base = System.getProperty("catalina.base");
        Path root = base != null ? Path.of(base) : directory != null ? directory : Path.of(".");
        return root.resolve(DEFAULT_BACKUP_FOLDER);
    }

    private List<AddressRange> addressRanges(Setting setting, List<String> problems) {
        String value = values.get(setting.key());
        if (value == null) {
            return null;
        }
        try {
            return AddressRange.parseList(value);
        } catch (IllegalArgumentException e) {
            problems.add(at(setting.key()) + e.getMessage());
            return List.of();
        }
    }

    private boolean flag(Setting setting, boolean fallback, List<String> problems) {
        return flagValue(setting.key(), values.get(setting.key()), fallback, problems);
    }

    private boolean flagValue(String key, String value, boolean fallback, List<String> problems) {
        if (value == null) {
            return fallback;
        }
        String trimmed = value.trim();
        if (trimmed.equals("true") || trimmed.equals("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        problems.add(at(key) + "must be true or false, not '" + trimmed + "'");
        return fallback;
    }

    /** Reads {@code file}. Never throws: what is wrong is kept in {@link #problem()} and per webapp. */
    public static GateSettings load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            return new GateSettings(file, Map.of(), List.of(),
                    "cannot read configuration file " + file + " (" + describe(e) + ")");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\r\n|\r|\n", -1));
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            return new GateSettings(file, Map.of(), lines, file + " line " + badEscapeLine(lines)
                    + ": not a valid properties file (" + e.getMessage() + ")");
        }
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key));
        }
        return new GateSettings(file, Collections.unmodifiableMap(values), lines, null);
    }

    /** Settings from a map, for embedders and tests; {@code source} only names them in messages. */
    public static GateSettings of(Path source, Map<String, String> values) {
        return new GateSettings(source, Map.copyOf(values), List.of(), null);
    }

    private static String describe(Exception e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.toString();
    }

    private static int badEscapeLine(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            // Comments are never unescaped; "\\u" is an escaped backslash followed by a plain u.
            if (!line.startsWith("#") && !line.startsWith("!") && BAD_ESCAPE.matcher(line).find()) {
                return i + 1;
            }
        }
        return 0;
    }

    private void checkKeys(List<String> hostProblems) {
        for (String key : values.keySet()) {
            if (key.startsWith(APP_PREFIX)) {
                String[] nameAndSetting = splitAppKey(key);
                if (nameAndSetting == null) {
                    String name = key.substring(APP_PREFIX.length()).split("\\.", 2)[0];
                    appProblems.merge(name, at(key) + "unknown key", GateSettings::both);
                } else if (!Setting.byKey(nameAndSetting[1]).perWebapp()) {
                    appProblems.merge(nameAndSetting[0], at(key) + nameAndSetting[1]
                            + " is set for the whole host only, not per webapp", GateSettings::both);
                }
            } else if (Setting.byKey(key) == null) {
                hostProblems.add(at(key) + "unknown key");
            }
        }
    }

    private static String both(String a, String b) {
        return a + "; " + b;
    }

    /** {@code app.my.app.jdbc.url} → {@code [my.app, jdbc.url]}, matching known keys from the end. */
    private static String[] splitAppKey(String key) {
        String rest = key.substring(APP_PREFIX.length());
        for (Setting setting : Setting.values()) {
            String suffix = "." + setting.key();
            if (rest.endsWith(suffix) && rest.length() > suffix.length()) {
                return new String[] {rest.substring(0, rest.length() - suffix.length()), setting.key()};
            }
        }
        return null;
    }

    /** "file line N: key: " for messages, so the log names where to look. */
    private String at(String key) {
        int line = lineOf(key);
        return source + (line > 0 ? " line " + line : "") + ": " + key + ": ";
    }

    private int lineOf(String key) {
        // From the end: of a key set twice, the last line's value is the one that counts.
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i).stripLeading();
            if (line.startsWith(key) && (line.length() == key.length()
                    || "=: \t".indexOf(line.charAt(key.length())) >= 0)) {
                return i + 1;
            }
        }
        return 0;
    }

    private String text(Setting setting, String fallback, List<String> problems) {
        String value = values.get(setting.key());
        if (value == null) {
            return fallback;
        }
        if (value.isBlank()) {
            problems.add(at(setting.key()) + "is empty");
            return fallback;
        }
        return value.trim();
    }

    private int number(Setting setting, int fallback, int min, int max, List<String> problems) {
        String value = values.get(setting.key());
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        problems.add(at(setting.key()) + "must be a whole number from " + min + " to " + max + ", not '"
                + value.trim() + "'");
        return fallback;
    }

    /** The effective settings of the webapp named {@code name} ({@code shop} for /shop, {@code ROOT} for /). */
    public AppSettings forApp(String name) {
        if (problem != null) {
            return AppSettings.misconfigured(problem);
        }
        List<String> problems = new ArrayList<>();
        String own = appProblems.get(name);
        if (own != null) {
            problems.add(own);
        }
        String datasource = appValue(name, Setting.DATASOURCE, problems);
        String jdbcUrl = appValue(name, Setting.JDBC_URL, problems);
        // A webapp's own connection setting replaces the host-wide one of the other kind.
        if (datasource != null && jdbcUrl != null && ownKey(name, Setting.DATASOURCE) != ownKey(name, Setting.JDBC_URL)) {
            if (ownKey(name, Setting.DATASOURCE)) {
                jdbcUrl = null;
            } else {
                datasource = null;
            }
        }
        String jdbcUser = appValue(name, Setting.JDBC_USER, problems);
        String jdbcPassword = rawAppValue(name, Setting.JDBC_PASSWORD);
        AppSettings.Migrations migrations = migrations(name, problems);
        String versionAttribute = appValue(name, Setting.VERSION_ATTRIBUTE, problems);
        String versionQuery = appValue(name, Setting.VERSION_QUERY, problems);
        String installToken = rawAppValue(name, Setting.INSTALL_TOKEN);
        Path folder = source.toAbsolutePath().getParent();
        String licenseFile = appValue(name, Setting.LICENSE_FILE, problems);
        String maintenancePage = appValue(name, Setting.MAINTENANCE_PAGE, problems);
        boolean allowOwnBackup = flagValue(keyFor(name, Setting.BACKUP_ALLOW_OWN),
                values.get(keyFor(name, Setting.BACKUP_ALLOW_OWN)), false, problems);

        if (datasource != null && jdbcUrl != null) {
            problems.add(at(keyFor(name, Setting.JDBC_URL)) + "set either datasource or jdbc.url, not both");
        }
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
            problems.add(at(keyFor(name, Setting.JDBC_URL)) + "must start with jdbc:");
        }
        if (jdbcUrl == null && (jdbcUser != null || jdbcPassword != null)) {
            String key = keyFor(name, jdbcUser != null ? Setting.JDBC_USER : Setting.JDBC_PASSWORD);
            problems.add(at(key) + "is set but jdbc.url is not");
        }
        if (versionAttribute == null) {
            versionAttribute = AppSettings.DEFAULT_VERSION_ATTRIBUTE;
        } else if (!ATTRIBUTE_NAME.matcher(versionAttribute).matches()) {
            problems.add(at(keyFor(name, Setting.VERSION_ATTRIBUTE)) + "is not a manifest attribute name");
        }
        if (installToken != null && installToken.trim().length() < MIN_TOKEN_LENGTH) {
            problems.add(at(keyFor(name, Setting.INSTALL_TOKEN)) + "must be at least " + MIN_TOKEN_LENGTH
                    + " characters long");
        }
        return new AppSettings(datasource, jdbcUrl, jdbcUser, jdbcPassword, migrations, versionAttribute,
                versionQuery, installToken == null ? null : installToken.trim(),
                licenseFile == null ? null : path(keyFor(name, Setting.LICENSE_FILE), folder, licenseFile, problems),
                maintenancePage == null ? null
                        : path(keyFor(name, Setting.MAINTENANCE_PAGE), folder, maintenancePage, problems),
                allowOwnBackup, problems.isEmpty() ? null : String.join("; ", problems));
    }

    /** The engine and its settings; a key of the other engine than the one forced is a contradiction. */
    private AppSettings.Migrations migrations(String name, List<String> problems) {
        AppSettings.Migrations migrations = new AppSettings.Migrations();
        String engine = appValue(name, Setting.MIGRATIONS, problems);
        if (MigrationEngine.LIQUIBASE.equals(engine)) {
            migrations.engine = AppSettings.Engine.LIQUIBASE;
        } else if (MigrationEngine.FLYWAY.equals(engine)) {
            migrations.engine = AppSettings.Engine.FLYWAY;
        } else if (engine != null) {
            problems.add(at(keyFor(name, Setting.MIGRATIONS)) + "must be liquibase or flyway, not '" + engine + "'");
        }
        String changelog = appValue(name, Setting.CHANGELOG, problems);
        if (changelog != null) {
            if (changelog.startsWith("/") || changelog.contains("..")) {
                problems.add(at(keyFor(name, Setting.CHANGELOG)) + "must be a relative path in the class path");
            } else {
                migrations.changelog = changelog;
            }
        }
        migrations.contexts = appValue(name, Setting.LIQUIBASE_CONTEXTS, problems);
        migrations.labels = appValue(name, Setting.LIQUIBASE_LABELS, problems);
        migrations.liquibaseTable = table(name, Setting.LIQUIBASE_TABLE, migrations.liquibaseTable, problems);
        migrations.liquibaseLockTable = table(name, Setting.LIQUIBASE_LOCK_TABLE, migrations.liquibaseLockTable,
                problems);
        migrations.flywayTable = table(name, Setting.FLYWAY_TABLE, migrations.flywayTable, problems);
        String locations = appValue(name, Setting.FLYWAY_LOCATIONS, problems);
        if (locations != null) {
            List<String> folders = new ArrayList<>();
            for (String location : locations.split(",")) {
                String folder = location.trim();
                if (folder.startsWith("classpath:")) {
                    folder = folder.substring("classpath:".length());
                }
                while (folder.startsWith("/")) {
                    folder = folder.substring(1);
                }
                if (!CLASS_PATH_FOLDER.matcher(folder).matches() || folder.contains("..")) {
                    problems.add(at(keyFor(name, Setting.FLYWAY_LOCATIONS)) + "'" + location.trim()
                            + "' is not a folder in the class path, such as db/migration");
                } else {
                    folders.add(folder);
                }
            }
            migrations.flywayLocations = List.copyOf(folders);
        }
        Setting[] liquibaseOnly = {Setting.CHANGELOG, Setting.LIQUIBASE_CONTEXTS, Setting.LIQUIBASE_LABELS,
            Setting.LIQUIBASE_TABLE, Setting.LIQUIBASE_LOCK_TABLE};
        Setting[] flywayOnly = {Setting.FLYWAY_LOCATIONS, Setting.FLYWAY_TABLE};
        for (Setting setting : migrations.engine == AppSettings.Engine.FLYWAY ? liquibaseOnly
                : migrations.engine == AppSettings.Engine.LIQUIBASE ? flywayOnly : new Setting[0]) {
            if (values.containsKey(APP_PREFIX + name + "." + setting.key())) {
                problems.add(at(keyFor(name, setting)) + "contradicts " + keyFor(name, Setting.MIGRATIONS) + "="
                        + engine + ": " + setting.key() + " is for the other engine");
            }
        }
        return migrations;
    }

    private String table(String app, Setting setting, String fallback, List<String> problems) {
        String value = appValue(app, setting, problems);
        if (value == null) {
            return fallback;
        }
        if (!TABLE_NAME.matcher(value).matches()) {
            problems.add(at(keyFor(app, setting)) + "must be a plain table name (letters, digits, _ and $), not '"
                    + value + "'");
            return fallback;
        }
        return value;
    }

    private boolean ownKey(String app, Setting setting) {
        return values.containsKey(APP_PREFIX + app + "." + setting.key());
    }

    private String keyFor(String app, Setting setting) {
        String own = APP_PREFIX + app + "." + setting.key();
        return values.containsKey(own) ? own : setting.key();
    }

    private String rawAppValue(String app, Setting setting) {
        String value = values.get(keyFor(app, setting));
        return value == null || value.isEmpty() ? null : value;
    }

    private String appValue(String app, Setting setting, List<String> problems) {
        String key = keyFor(app, setting);
        String value = values.get(key);
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            problems.add(at(key) + "is empty");
            return null;
        }
        return value.trim();
    }

    /**
     * A setting's value for one webapp (its own, else the host-wide one), trimmed; {@code null} when
     * unset or blank. For settings that any text is valid for, read where they are used.
     */
    public String valueFor(String app, Setting setting) {
        String value = values.get(app == null ? setting.key() : keyFor(app, setting));
        return value == null || value.isBlank() ? null : value.trim();
    }

    public Path source() {
        return source;
    }

    /** What is wrong host-wide, naming the file, line and key; {@code null} when nothing is. */
    public String problem() {
        return problem;
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
        String token = values.get(Setting.INSTALL_TOKEN.key());
        return token == null || token.isBlank() ? null : token.trim();
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
}
