package dev.upgradegate.gate.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * A broken file must not take every gated webapp down at the next restart when a good one was in force before:
 * a private copy of each file that loads without a host-wide problem is kept beside it, and used, loudly, while
 * the file is broken. Every value is typed and validated at load, so any bad host-wide value falls back here.
 */
public final class LastGoodConfiguration {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    private LastGoodConfiguration() {
    }

    /** The settings of {@code configFile}, or of its last good copy while it has a host-wide problem. */
    public static GateSettings load(Path configFile) {
        GateSettings settings = GateSettings.load(configFile);
        Path lastGood = copyOf(configFile);
        if (settings.problem() == null) {
            try {
                OwnerOnlyFile.write(lastGood, Files.readAllBytes(configFile));
            } catch (IOException | RuntimeException e) {
                LOG.fine(() -> "cannot keep a copy of the good configuration in " + lastGood + ": " + e);
            }
            return settings;
        }
        if (Files.isReadable(lastGood)) {
            GateSettings previous = GateSettings.load(lastGood);
            if (previous.problem() == null) {
                LOG.severe("UpgradeGate configuration error: " + settings.problem()
                        + ". Keeping the last good configuration (" + lastGood + ") in force until " + configFile
                        + " is fixed and Tomcat restarted.");
                return previous;
            }
        }
        return settings;
    }

    /** Where the last good copy of {@code configFile} is kept: beside it, readable by its owner only. */
    public static Path copyOf(Path configFile) {
        return configFile.resolveSibling(configFile.getFileName() + ".last-good");
    }
}
