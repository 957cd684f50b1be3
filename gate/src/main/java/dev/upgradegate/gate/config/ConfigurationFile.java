package dev.upgradegate.gate.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A configuration file as read: its keys and values as written, and its lines, so that messages can name the
 * line of a key; or why it could not be read. Immutable.
 */
final class ConfigurationFile {

    private static final Pattern BAD_ESCAPE = Pattern.compile("(?<!\\\\)(?:\\\\\\\\)*\\\\u(?![0-9a-fA-F]{4})");

    private final Path source;
    private final Map<String, String> values;
    private final List<String> lines;
    private final String problem;

    private ConfigurationFile(Path source, Map<String, String> values, List<String> lines, String problem) {
        this.source = source;
        this.values = values;
        this.lines = lines;
        this.problem = problem;
    }

    /** Reads {@code file}. Never throws: what cannot be read is kept in {@link #problem()}. */
    static ConfigurationFile read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            return new ConfigurationFile(file, Map.of(), List.of(), "cannot read configuration file " + file + " ("
                    + (e instanceof NoSuchFileException ? "no such file" : e.toString()) + ")");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<String> lines = List.of(text.split("\r\n|\r|\n", -1));
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            return new ConfigurationFile(file, Map.of(), lines, file + " line " + badEscapeLine(lines)
                    + ": not a valid properties file (" + e.getMessage() + ")");
        }
        Map<String, String> values = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, properties.getProperty(key));
        }
        return new ConfigurationFile(file, Map.copyOf(values), lines, null);
    }

    /** Values given as a map; {@code source} only names them in messages. */
    static ConfigurationFile of(Path source, Map<String, String> values) {
        return new ConfigurationFile(source, Map.copyOf(values), List.of(), null);
    }

    /** The same file with {@code overrides} set over its values; its lines still name where the rest is. */
    ConfigurationFile with(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(values);
        merged.putAll(overrides);
        return new ConfigurationFile(source, Map.copyOf(merged), lines, problem);
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

    Path source() {
        return source;
    }

    /** Every key as written, with its value as written. */
    Map<String, String> values() {
        return values;
    }

    /** The line {@code key} is set on, counted from 1; 0 when no line says (a map, or a key not found). */
    int lineOf(String key) {
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

    /** Why the file could not be read, naming it; {@code null} when it was. */
    String problem() {
        return problem;
    }
}
