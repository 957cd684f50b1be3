package dev.upgradegate.agent;

import java.nio.file.Path;

/** The agent's argument string: {@code config=/path/upgradegate.properties}, comma-separated key=value pairs. */
final class AgentOptions {

    /** The valve's default, resolved against catalina.base where there is one. */
    static final String DEFAULT_CONFIG = "conf/upgradegate.properties";

    private final String config;

    private AgentOptions(String config) {
        this.config = config;
    }

    static AgentOptions parse(String args) {
        String config = null;
        if (args != null && !args.isBlank()) {
            for (String pair : args.split(",")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair.trim() : pair.substring(0, eq).trim();
                String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
                if (key.equals("config")) {
                    config = value;
                } else {
                    throw new IllegalArgumentException("unknown UpgradeGate agent option '" + key
                            + "'; the only option is config=/path/upgradegate.properties");
                }
            }
        }
        return new AgentOptions(config);
    }

    /** The configuration file, absolute: relative names are resolved against catalina.base, else the working directory. */
    String configFile() {
        Path path = Path.of(config != null ? config : DEFAULT_CONFIG);
        String base = System.getProperty("catalina.base");
        if (!path.isAbsolute() && base != null) {
            path = Path.of(base).resolve(path);
        }
        return path.toAbsolutePath().toString();
    }
}
