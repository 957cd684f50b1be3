package dev.upgradegate.gate.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The values of a configuration file, each read by its setting's type when the file is loaded: the typed value
 * of every key that holds a good one, what is wrong host-wide and per webapp, each naming the file, line and key,
 * and a warning per old spelling. Keys are held as the one key style spells them; messages name them as written.
 */
final class SettingValues {

    private static final String APP_PREFIX = "app.";

    private final ConfigurationFile file;
    private final Path folder;
    /** Keys as the one key style spells them, to the key as written (they differ for old spellings). */
    private final Map<String, String> written = new HashMap<>();
    private final Map<String, Setting> settings = new HashMap<>();
    /** Absent for a key that is refused, or a secret left empty. */
    private final Map<String, Object> typed = new HashMap<>();
    private final List<String> hostProblems = new ArrayList<>();
    private final Map<String, String> appProblems = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    SettingValues(ConfigurationFile file) {
        this.file = file;
        this.folder = file.source().toAbsolutePath().getParent();
        if (file.problem() != null) {
            hostProblems.add(file.problem());
        }
        List<String> keys = new ArrayList<>(file.values().keySet());
        // In the file's order, so that the messages read as the file does.
        keys.sort(Comparator.comparingInt(file::lineOf).thenComparing(Comparator.naturalOrder()));
        for (String key : keys) {
            accept(key, file.values().get(key));
        }
    }

    private void accept(String asWritten, String text) {
        String app = null;
        String name = asWritten;
        if (asWritten.startsWith(APP_PREFIX)) {
            String[] appAndName = splitAppKey(asWritten);
            if (appAndName == null) {
                problem(asWritten.substring(APP_PREFIX.length()).split("\\.", 2)[0], at(asWritten) + "unknown key");
                return;
            }
            app = appAndName[0];
            name = appAndName[1];
        }
        Setting setting = Setting.byKey(name);
        if (setting == null) {
            setting = Setting.byOldKey(name);
            if (setting == null) {
                hostProblems.add(at(asWritten) + "unknown key");
                return;
            }
            String key = key(app, setting);
            if (file.values().containsKey(key)) {
                problem(app, at(asWritten) + "is the old spelling of " + key + ", which is set too: keep one");
                return;
            }
            warnings.add(at(asWritten) + "is the old spelling of " + key + ": rename it to " + key);
        }
        String key = key(app, setting);
        written.put(key, asWritten);
        settings.put(key, setting);
        if (app != null && !setting.perWebapp()) {
            problem(app, at(asWritten) + setting.key() + " is set for the whole host only, not per webapp");
            return;
        }
        try {
            Object value = setting.type().parse(text, setting, folder);
            if (value != null) {
                typed.put(key, value);
            }
        } catch (IllegalArgumentException e) {
            problem(app, at(asWritten) + e.getMessage());
        }
    }

    /** {@code app.my.app.jdbc.url} → {@code [my.app, jdbc.url]}, matching known keys, old or new, from the end. */
    private static String[] splitAppKey(String key) {
        String rest = key.substring(APP_PREFIX.length());
        for (Setting setting : Setting.values()) {
            for (String name : new String[] {setting.key(), setting.oldKey()}) {
                String suffix = "." + name;
                if (name != null && rest.endsWith(suffix) && rest.length() > suffix.length()) {
                    return new String[] {rest.substring(0, rest.length() - suffix.length()), name};
                }
            }
        }
        return null;
    }

    private static String key(String app, Setting setting) {
        return app == null ? setting.key() : APP_PREFIX + app + "." + setting.key();
    }

    private void problem(String app, String problem) {
        if (app == null) {
            hostProblems.add(problem);
        } else {
            appProblems.merge(app, problem, (a, b) -> a + "; " + b);
        }
    }

    /** "file line N: key: " for messages, so the log names where to look; the key as the file spells it. */
    String at(String key) {
        String asWritten = written.getOrDefault(key, key);
        int line = file.lineOf(asWritten);
        return file.source() + (line > 0 ? " line " + line : "") + ": " + asWritten + ": ";
    }

    /** Whether the file sets {@code key}, spelled in the one key style, whatever its value. */
    boolean has(String key) {
        return written.containsKey(key);
    }

    /** The key that sets {@code setting} for webapp {@code app}: its own, else the host-wide one. */
    String keyFor(String app, Setting setting) {
        String own = key(app, setting);
        return app != null && written.containsKey(own) ? own : setting.key();
    }

    /** The value the file sets for {@code app} ({@code null}: host-wide), or {@code null} when unset or refused. */
    Object configured(String app, Setting setting) {
        return typed.get(keyFor(app, setting));
    }

    /** The configured value, else the default; {@code null} for a setting without one. */
    Object value(String app, Setting setting) {
        Object value = configured(app, setting);
        return value != null ? value : defaultOf(setting, folder);
    }

    /** Whether the file sets {@code setting} host-wide to a value its type refuses. */
    boolean refused(Setting setting) {
        return has(setting.key()) && !typed.containsKey(setting.key()) && !setting.secret();
    }

    /** A setting's default, read as a value in the file is, relative to {@code folder}. */
    static Object defaultOf(Setting setting, Path folder) {
        return setting.defaultValue() == null ? null : setting.type().parse(setting.defaultValue(), setting, folder);
    }

    Path folder() {
        return folder;
    }

    /** What is wrong host-wide, or {@code null}. */
    String hostProblem() {
        return hostProblems.isEmpty() ? null : String.join("; ", hostProblems);
    }

    /** What is wrong under {@code app.<name>.}, or {@code null}. */
    String appProblem(String name) {
        return appProblems.get(name);
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** The keys, as written, that hold a secret. */
    List<String> secretKeys() {
        List<String> secrets = new ArrayList<>();
        settings.forEach((key, setting) -> {
            if (setting.secret()) {
                secrets.add(written.get(key));
            }
        });
        return secrets;
    }

    /** Every key the file sets, spelled in the one key style. */
    Iterable<String> keys() {
        return written.keySet();
    }
}
