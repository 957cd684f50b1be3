package dev.upgradegate.agent.cli;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.config.Setting;

/**
 * The settings the CLI runs with: the configuration file, read by the gate's own loader so that the CLI and the
 * server never disagree on a value or a default, or the command line's database; with a throwaway install token,
 * since the CLI opens no endpoint and must never write the server's token file.
 */
final class Configuration {

    /** As the server reads the file: its problems name the line and the key. */
    private final GateSettings asFiled;
    private final GateSettings settings;

    private Configuration(GateSettings asFiled, GateSettings settings) {
        this.asFiled = asFiled;
        this.settings = settings;
    }

    /** @throws CliFailure when the file cannot be read or has a host-wide problem, naming the line and key */
    static Configuration read(CliOptions options) throws CliFailure {
        Map<String, String> overrides = new HashMap<>();
        GateSettings asFiled;
        if (options.config != null) {
            asFiled = GateSettings.load(options.config);
            if (asFiled.problem() != null) {
                throw new CliFailure(asFiled.problem());
            }
        } else {
            asFiled = null;
            String prefix = "app." + options.app + ".";
            overrides.put(prefix + Setting.JDBC_URL.key(), options.jdbcUrl);
            if (options.user != null) {
                overrides.put(prefix + Setting.JDBC_USER.key(), options.user);
            }
            if (options.password != null) {
                overrides.put(prefix + Setting.JDBC_PASSWORD.key(), options.password);
            }
        }
        if (options.changelog != null && options.app != null) {
            overrides.put("app." + options.app + "." + Setting.CHANGELOG.key(), options.changelog);
        }
        byte[] token = new byte[24];
        new SecureRandom().nextBytes(token);
        overrides.put(Setting.INSTALL_TOKEN.key(), Base64.getUrlEncoder().withoutPadding().encodeToString(token));
        GateSettings settings = asFiled != null ? asFiled.with(overrides)
                : GateSettings.of(Path.of("command line"), overrides);
        if (settings.problem() != null) {
            throw new CliFailure(settings.problem());
        }
        return new Configuration(asFiled == null ? settings : asFiled, settings);
    }

    /** The file's keys that hold a secret (install.token, jdbc.password), host-wide or per webapp. */
    List<String> secretKeys() {
        return asFiled.secretKeys();
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
        if (options.config != null && !settings.gatesEveryWebapp() && !apps.contains(name)) {
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
        return settings.webapps();
    }
}
