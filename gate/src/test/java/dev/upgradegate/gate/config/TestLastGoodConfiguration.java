package dev.upgradegate.gate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.upgradegate.gate.Gatekeeper;

/** A bad value, of any type, keeps the last good file in force, and the log names what to fix. */
class TestLastGoodConfiguration {

    private static final String GOOD = String.join("\n", "install.token=a-long-enough-test-token",
            "health.path=/upgradegate/health", "ignore=/healthz", "maintenance.page=down.html",
            "app.shop.datasource=jdbc/ShopDB", "");

    private final Logger log = Logger.getLogger("dev.upgradegate");
    private final List<String> lines = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @TempDir
    Path dir;
    private Path config;

    @BeforeEach
    void listen() {
        config = dir.resolve("upgradegate.properties");
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    @Test
    void aGoodFileIsUsedAndCopiedForTheOwnerOnly() throws IOException {
        Files.writeString(config, GOOD);
        GateSettings settings = LastGoodConfiguration.load(config);
        assertNull(settings.problem());
        Path copy = LastGoodConfiguration.copyOf(config);
        assertEquals(dir.resolve("upgradegate.properties.last-good"), copy);
        assertEquals(GOOD, Files.readString(copy));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"health.path=upgradegate/health", "ignore=/static/** /img", "maintenance.page=",
        "refresh.seconds=0", "install.allow=everyone"})
    void aRefusedValueKeepsTheLastGoodFileInForce(String badLine) throws IOException {
        Files.writeString(config, GOOD);
        LastGoodConfiguration.load(config);
        String key = badLine.substring(0, badLine.indexOf('='));
        Files.writeString(config, GOOD.contains(key + "=")
                ? GOOD.replaceFirst("(?m)^" + Pattern.quote(key) + "=.*$", Matcher.quoteReplacement(badLine))
                : GOOD + badLine + "\n");

        GateSettings settings = LastGoodConfiguration.load(config);
        assertNull(settings.problem(), "the last good settings are in force");
        assertEquals("/upgradegate/health", settings.healthPath());
        assertEquals(List.of("/healthz"), settings.forApp("shop").ignore());
        assertEquals(dir.resolve("down.html"), settings.forApp("shop").maintenancePage());
        assertEquals(GOOD, Files.readString(LastGoodConfiguration.copyOf(config)), "the good copy is kept");
        assertTrue(lines.stream().anyMatch(line -> line.startsWith("SEVERE") && line.contains(config + " line ")
                && line.contains(": " + key + ": ") && line.contains("Keeping the last good configuration")),
                String.join("\n", lines));
    }

    @Test
    void anOldSpellingIsReadAndLoggedOnceAtStartNamingTheNewKey() throws IOException {
        Files.writeString(config, GOOD + "retry.after.seconds=90\n");
        try (Gatekeeper keeper = Gatekeeper.start(config)) {
            assertEquals(90, keeper.settings().retryAfterSeconds());
        }
        assertEquals(1, lines.stream().filter(line -> line.startsWith("WARNING") && line.contains(config + " line 6: "
                + "retry.after.seconds: ") && line.contains("rename it to retry.afterSeconds")).count(),
                String.join("\n", lines));
    }

    @Test
    void withoutAGoodCopyTheBrokenFileIsUsedAndEveryGatedWebappIsClosed() throws IOException {
        Files.writeString(config, GOOD.replace("health.path=/upgradegate/health", "health.path=/"));
        GateSettings settings = LastGoodConfiguration.load(config);
        assertTrue(settings.problem().contains("health.path"), settings.problem());
        assertTrue(settings.forApp("shop").gated());
        assertEquals(settings.problem(), settings.forApp("shop").problem());
        assertTrue(Files.notExists(LastGoodConfiguration.copyOf(config)));
    }
}
