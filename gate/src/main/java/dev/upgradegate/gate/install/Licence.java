package dev.upgradegate.gate.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** The licence the administrator agrees to: a configured file, else the bundle's own. */
final class Licence {

    static final String[] BUNDLE_FILES = {
        "/META-INF/LICENSE", "/META-INF/LICENSE.txt", "/META-INF/LICENSE.md",
        "/META-INF/LICENCE", "/META-INF/LICENCE.txt", "/META-INF/LICENCE.md",
    };
    static final int MAX_BYTES = 1024 * 1024;

    private Licence() {
    }

    /** The licence's text, or {@code null} when there is none, and the step is skipped. */
    static String text(WizardGate gate) throws IOException {
        if (gate.settings().licenseFile() != null) {
            try (InputStream in = Files.newInputStream(gate.settings().licenseFile())) {
                return read(in);
            }
        }
        for (String path : BUNDLE_FILES) {
            try (InputStream in = gate.webapp().resource(path)) {
                if (in != null) {
                    return read(in);
                }
            }
        }
        return null;
    }

    private static String read(InputStream in) throws IOException {
        String text = new String(in.readNBytes(MAX_BYTES), StandardCharsets.UTF_8).strip();
        return text.isEmpty() ? null : text;
    }
}
