package dev.upgradegate.gate.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.upgradegate.migrations.MigrationEngine;

/**
 * What a setting's value must be, and how it is read: each type turns the text of the file into the value the
 * gate uses, or refuses it with a message that the loader prefixes with the file, line and key. A message never
 * repeats a secret's value.
 */
public enum SettingType {

    /** Any text, trimmed. */
    TEXT,
    /** A password, kept verbatim: spaces may be part of it. */
    SECRET,
    /** A bearer token of at least {@link Setting#min()} characters, trimmed. */
    TOKEN {
        @Override
        Object read(String value, Setting setting, Path folder) {
            if (value.length() < setting.min()) {
                throw new IllegalArgumentException("must be at least " + setting.min() + " characters long");
            }
            return value;
        }
    },
    /** A whole number from {@link Setting#min()} to {@link Setting#max()}. */
    NUMBER {
        @Override
        Object read(String value, Setting setting, Path folder) {
            try {
                int number = Integer.parseInt(value);
                if (number >= setting.min() && number <= setting.max()) {
                    return number;
                }
            } catch (NumberFormatException e) {
                // refused below, with the range
            }
            throw new IllegalArgumentException("must be a whole number from " + setting.min() + " to "
                    + setting.max() + ", not '" + value + "'");
        }
    },
    FLAG {
        @Override
        Object read(String value, Setting setting, Path folder) {
            if (value.equals("true") || value.equals("false")) {
                return Boolean.valueOf(value);
            }
            throw new IllegalArgumentException("must be true or false, not '" + value + "'");
        }
    },
    /** A path the gate answers on, such as {@code /install}: never one a visitor could write two ways. */
    URL_PATH {
        @Override
        Object read(String value, Setting setting, Path folder) {
            if (!URL_PATH_SEGMENTS.matcher(value).matches() || value.contains("/.")) {
                throw new IllegalArgumentException("must be a path such as "
                        + (setting.defaultValue() != null ? setting.defaultValue() : "/upgradegate/health")
                        + ": segments of letters, digits, '.', '_', '~' or '-'");
            }
            return value;
        }
    },
    /** A file; relative names are resolved against the configuration file's folder. */
    FILE {
        @Override
        Object read(String value, Setting setting, Path folder) {
            try {
                Path path = Path.of(value);
                return path.isAbsolute() || folder == null ? path : folder.resolve(path);
            } catch (InvalidPathException e) {
                // A name no file can have (a NUL, say) would otherwise throw wherever it is used.
                throw new IllegalArgumentException("is not a valid file name: " + e.getReason());
            }
        }
    },
    /** Comma-separated CIDR ranges, as {@link AddressRange#parseList} reads them. */
    ADDRESS_RANGES {
        @Override
        Object read(String value, Setting setting, Path folder) {
            return AddressRange.parseList(value);
        }
    },
    /** Comma-separated patterns of paths inside a webapp ({@code /static/**}); a leading {@code /} is implied. */
    PATH_PATTERNS {
        @Override
        Object read(String value, Setting setting, Path folder) {
            List<String> patterns = new ArrayList<>();
            for (String part : value.split(",")) {
                String pattern = part.trim();
                if (pattern.isEmpty()) {
                    continue;
                }
                String absolute = pattern.startsWith("/") ? pattern : "/" + pattern;
                if (!PATH_PATTERN.matcher(absolute).matches() || absolute.contains("***")
                        || DOT_SEGMENT.matcher(absolute).find()) {
                    throw new IllegalArgumentException("'" + pattern + "' is not a path pattern such as /healthz,"
                            + " /static/** or /*.css (no spaces, ?, #, ; or . and .. segments)");
                }
                patterns.add(absolute);
            }
            if (patterns.isEmpty()) {
                throw new IllegalArgumentException("lists no path");
            }
            return List.copyOf(patterns);
        }
    },
    /** {@code liquibase} or {@code flyway}. */
    ENGINE {
        @Override
        Object read(String value, Setting setting, Path folder) {
            if (MigrationEngine.LIQUIBASE.equals(value)) {
                return AppSettings.Engine.LIQUIBASE;
            }
            if (MigrationEngine.FLYWAY.equals(value)) {
                return AppSettings.Engine.FLYWAY;
            }
            throw new IllegalArgumentException("must be liquibase or flyway, not '" + value + "'");
        }
    },
    /** A resource in the webapp's class path, such as {@code db/changelog.xml}. */
    CLASS_PATH_FILE {
        @Override
        Object read(String value, Setting setting, Path folder) {
            if (value.startsWith("/") || value.contains("..")) {
                throw new IllegalArgumentException("must be a relative path in the class path");
            }
            return value;
        }
    },
    /** Comma-separated class path folders, {@code classpath:} and leading slashes optional. */
    CLASS_PATH_FOLDERS {
        @Override
        Object read(String value, Setting setting, Path folder) {
            List<String> folders = new ArrayList<>();
            for (String location : value.split(",")) {
                String name = location.trim();
                if (name.startsWith("classpath:")) {
                    name = name.substring("classpath:".length());
                }
                while (name.startsWith("/")) {
                    name = name.substring(1);
                }
                if (!CLASS_PATH_FOLDER.matcher(name).matches() || name.contains("..")) {
                    throw new IllegalArgumentException("'" + location.trim()
                            + "' is not a folder in the class path, such as db/migration");
                }
                folders.add(name);
            }
            return List.copyOf(folders);
        }
    },
    /** A plain table name: no schema, no quoting, nothing that could end the statement it is put into. */
    TABLE {
        @Override
        Object read(String value, Setting setting, Path folder) {
            if (!TABLE_NAME.matcher(value).matches()) {
                throw new IllegalArgumentException("must be a plain table name (letters, digits, _ and $), not '"
                        + value + "'");
            }
            return value;
        }
    },
    /** A plain schema name: no quoting, nothing that could end the statement it is put into. */
    SCHEMA {
        @Override
        Object read(String value, Setting setting, Path folder) {
            return schemaName(value);
        }
    },
    /** Comma-separated plain schema names, in order. */
    SCHEMAS {
        @Override
        Object read(String value, Setting setting, Path folder) {
            List<String> schemas = new ArrayList<>();
            for (String name : value.split(",")) {
                schemas.add(schemaName(name.trim()));
            }
            return List.copyOf(schemas);
        }
    },
    /** The name of a main attribute of a manifest. */
    ATTRIBUTE {
        @Override
        Object read(String value, Setting setting, Path folder) {
            if (!ATTRIBUTE_NAME.matcher(value).matches()) {
                throw new IllegalArgumentException("is not a manifest attribute name");
            }
            return value;
        }
    },
    JDBC_URL {
        @Override
        Object read(String value, Setting setting, Path folder) {
            if (!value.startsWith("jdbc:")) {
                throw new IllegalArgumentException("must start with jdbc:");
            }
            return value;
        }
    };

    private static final Pattern URL_PATH_SEGMENTS = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Pattern PATH_PATTERN = Pattern.compile("/[^\\s\\p{Cntrl}?#;\\\\]*");
    private static final Pattern DOT_SEGMENT = Pattern.compile("/\\.{1,2}(/|$)");
    private static final Pattern ATTRIBUTE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,69}");
    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,63}");
    private static final Pattern CLASS_PATH_FOLDER = Pattern.compile("[A-Za-z0-9_$.-]+(/[A-Za-z0-9_$.-]+)*");

    private static String schemaName(String name) {
        if (!TABLE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a plain schema name (letters, digits, _ and $)");
        }
        return name;
    }

    /**
     * The value {@code text} stands for, or {@code null} where an empty value means unset (a secret left empty).
     *
     * @param folder the configuration file's folder, for relative file names; {@code null} for none
     * @throws IllegalArgumentException saying what is wrong, without the key and without a secret
     */
    Object parse(String text, Setting setting, Path folder) {
        if (this == SECRET || this == TOKEN) {
            if (text.isEmpty()) {
                return null;
            }
            return read(this == SECRET ? text : text.trim(), setting, folder);
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        return read(text.trim(), setting, folder);
    }

    /** The value of the trimmed (for a secret, verbatim) {@code value}; any text is, unless a type says otherwise. */
    Object read(String value, Setting setting, Path folder) {
        return value;
    }
}
