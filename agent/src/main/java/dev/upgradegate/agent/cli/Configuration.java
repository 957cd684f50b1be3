package dev.upgradegate.agent.cli;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.config.Setting;

/**
 * The settings the CLI runs with: the configuration file (or the command line's database), with a throwaway
 * install token, since the CLI opens no endpoint and must never write the server's token file.
 */
final class Configuration {

    /** As the server reads the file: its problems name the line and the key. */
    private final GateSettings asFiled;
    private final GateSettings settings;
    private final Map<String, String> values;
    /** The file's keys that hold a secret (install.token, jdbc.password), host-wide or per webapp. */
    private final List<String> secretKeys;

    private Configuration(GateSettings asFiled, GateSettings settings, Map<String, String> values,
                          List<String> secretKeys) {
        this.asFiled = asFiled;
        this.settings = settings;
        this.values = values;
        this.secretKeys = secretKeys;
    }

    /** @throws CliFailure when the file cannot be read or has a host-wide problem, naming the line and key */
    static Configuration read(CliOptions options) throws CliFailure {
        Map<String, String> values = new HashMap<>();
        List<String> secretKeys = new ArrayList<>();
        GateSettings asFiled = null;
        Path source;
        if (options.config != null) {
            source = options.config;
            asFiled = GateSettings.load(source);
            if (asFiled.problem() != null) {
                throw new CliFailure(asFiled.problem());
            }
            Properties properties = new Properties();
            try {
                properties.load(new StringReader(Files.readString(source, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new CliFailure("cannot read configuration file " + source + " (" + e + ")");
            }
            for (String key : properties.stringPropertyNames()) {
                values.put(key, properties.getProperty(key));
            }
            for (Setting setting : Setting.values()) {
                for (String key : values.keySet()) {
                    if (setting.secret() && (key.equals(setting.key()) || key.startsWith("app.")
                            && key.endsWith("." + setting.key()))) {
                        secretKeys.add(key);
                    }
                }
            }
        } else {
            source = Path.of("command line");
            String prefix = "app." + options.app + ".";
            values.put(prefix + "jdbc.url", options.jdbcUrl);
            if (options.user != null) {
                values.put(prefix + "jdbc.user", options.user);
            }
            if (options.password != null) {
                values.put(prefix + "jdbc.password", options.password);
            }
        }
        if (options.changelog != null && options.app != null) {
            values.put("app." + options.app + ".changelog", options.changelog);
        }
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        values.put("install.token", Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        GateSettings settings = GateSettings.of(source, values);
        if (settings.problem() != null) {
            throw new CliFailure(settings.problem());
        }
        return new Configuration(asFiled == null ? settings : asFiled, settings, values, secretKeys);
    }

    List<String> secretKeys() {
        return secretKeys;
    }

    GateSettings settings() {
        return settings;
    }

    /** The settings as the server reads the file, token and all: for what the server, not the CLI, will do. */
    GateSettings asFiled() {
        return asFiled;
    }

    /**
     * The webapp's settings, if the CLI can reach its database from outside the server.
     *
     * @throws CliFailure for a webapp the file does not name, a problem in its keys, or a container datasource
     */
    AppSettings reachable(String name, CliOptions options) throws CliFailure {
        List<String> apps = apps();
        boolean hostWide = values.containsKey("jdbc.url") || values.containsKey("datasource");
        if (options.config != null && !hostWide && !apps.contains(name)) {
            throw new CliFailure(options.config + " configures no webapp '" + name + "' (it configures "
                    + (apps.isEmpty() ? "none: add app." + name + ".jdbc.url" : String.join(", ", apps))
                    + "): check --app");
        }
        String problem = asFiled.forApp(name).problem();
        if (problem != null) {
            throw new CliFailure(problem);
        }
        AppSettings app = settings.forApp(name);
        if (app.jdbcUrl() == null) {
            throw new CliFailure(name + " has no jdbc.url"
                    + (app.datasource() != null ? " (its datasource " + app.datasource()
                    + " exists only inside the server): set app." + name + ".jdbc.url for the CLI" : ""));
        }
        return app;
    }

    /** Every webapp the configuration names, as {@code app.NAME.jdbc.url} or {@code app.NAME.datasource}. */
    List<String> apps() {
        TreeSet<String> names = new TreeSet<>();
        for (String key : values.keySet()) {
            for (String suffix : new String[] {".jdbc.url", ".datasource"}) {
                if (key.startsWith("app.") && key.endsWith(suffix) && key.length() > 4 + suffix.length()) {
                    names.add(key.substring(4, key.length() - suffix.length()));
                }
            }
        }
        return new ArrayList<>(names);
    }
}
