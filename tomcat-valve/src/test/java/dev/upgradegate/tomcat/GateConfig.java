package dev.upgradegate.tomcat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The upgradegate.properties a test's Tomcat reads. */
final class GateConfig {

    /** Short, so that a test waits at most this long for the gate to see a change. */
    static final int REFRESH_SECONDS = 1;

    private GateConfig() {
    }

    /**
     * Writes {@code folder}/upgradegate.properties: the install token, a refresh every {@link #REFRESH_SECONDS}, then
     * the test's own {@code lines}.
     */
    static Path write(Path folder, String token, String... lines) throws IOException {
        List<String> all = new ArrayList<>(List.of("install.token=" + token, "refresh.seconds=" + REFRESH_SECONDS));
        all.addAll(List.of(lines));
        all.add("");
        return Files.writeString(folder.resolve("upgradegate.properties"), String.join("\n", all));
    }
}
