package dev.upgradegate.gate.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.upgradegate.gate.version.BundleVersion.BundleVersionException;

class TestBundleVersion {

    private static InputStream manifest(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsImplementationVersion() throws Exception {
        Version version = BundleVersion.read(manifest("Manifest-Version: 1.0\r\n"
                + "Implementation-Title: shop\r\nImplementation-Version: 2.0.0\r\n\r\n"), "Implementation-Version");
        assertEquals(Version.parse("2.0.0"), version);
        assertEquals("2.0.0", version.toString());
    }

    @Test
    void readsACustomAttribute() throws Exception {
        Version version = BundleVersion.read(manifest("Manifest-Version: 1.0\n"
                + "Implementation-Version: 9.9.9\nShop-Schema-Version: 1.4.2-RC1\n\n"), "Shop-Schema-Version");
        assertEquals(Version.parse("1.4.2-RC1"), version);
    }

    @Test
    void attributeNamesAreCaseInsensitiveAsInEveryManifest() throws Exception {
        Version version = BundleVersion.read(manifest("Manifest-Version: 1.0\nimplementation-version: 3.1\n"),
                "Implementation-Version");
        assertEquals(Version.parse("3.1"), version);
    }

    @Test
    void onlyTheMainSectionCounts() {
        BundleVersionException e = assertThrows(BundleVersionException.class, () -> BundleVersion.read(
                manifest("Manifest-Version: 1.0\n\nName: lib/x.jar\nImplementation-Version: 1.0\n\n"),
                "Implementation-Version"));
        assertTrue(e.getMessage().contains("Implementation-Version"), e.getMessage());
    }

    @Test
    void missingManifestIsReported() {
        BundleVersionException e = assertThrows(BundleVersionException.class,
                () -> BundleVersion.read(null, "Implementation-Version"));
        assertTrue(e.getMessage().contains("MANIFEST.MF"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertTrue(e.getMessage().contains("Implementation-Version"), e.getMessage());
    }

    @Test
    void manifestWithoutTheAttributeNamesTheAttribute() {
        BundleVersionException e = assertThrows(BundleVersionException.class, () -> BundleVersion.read(
                manifest("Manifest-Version: 1.0\nImplementation-Version: 1.0\n"), "Shop-Version"));
        assertTrue(e.getMessage().contains("Shop-Version"), e.getMessage());
        assertTrue(e.getMessage().contains("MANIFEST.MF"), e.getMessage());
    }

    @Test
    void blankAttributeIsLikeNoAttribute() {
        BundleVersionException e = assertThrows(BundleVersionException.class, () -> BundleVersion.read(
                manifest("Manifest-Version: 1.0\nImplementation-Version:   \n"), "Implementation-Version"));
        assertTrue(e.getMessage().contains("Implementation-Version"), e.getMessage());
    }

    @Test
    void emptyManifestHasNoVersion() {
        BundleVersionException e = assertThrows(BundleVersionException.class,
                () -> BundleVersion.read(manifest(""), "Implementation-Version"));
        assertTrue(e.getMessage().contains("Implementation-Version"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Manifest-Version: 1.0\nthis line has no colon\nImplementation-Version: 1.0\n",
            "Manifest-Version: 1.0\n: no name\n",
            "Manifest-Version: 1.0\nBad Name: 1.0\n",
            "Manifest-Version: 1.0\nImplementation-Version 1.0\n",
            " continuation without a header\n",
    })
    void garbledManifestIsABundleVersionException(String text) {
        BundleVersionException e = assertThrows(BundleVersionException.class,
                () -> BundleVersion.read(manifest(text), "Implementation-Version"));
        assertTrue(e.getMessage().contains("MANIFEST.MF"), e.getMessage());
    }

    @Test
    void overlongLineIsABundleVersionException() {
        String text = "Manifest-Version: 1.0\nImplementation-Version: 1." + "0".repeat(70_000) + "\n";
        assertThrows(BundleVersionException.class, () -> BundleVersion.read(manifest(text), "Implementation-Version"));
    }

    @Test
    void binaryJunkNeverEscapesAsAnotherExceptionType() {
        Random random = new Random(20240611);
        for (int round = 0; round < 2000; round++) {
            byte[] junk = new byte[1 + random.nextInt(600)];
            random.nextBytes(junk);
            if (round % 3 == 0) {
                // Junk after a plausible start, so the parser gets past the first line.
                byte[] head = "Manifest-Version: 1.0\nImplementation-Version: 1.0\n".getBytes(StandardCharsets.UTF_8);
                byte[] both = new byte[head.length + junk.length];
                System.arraycopy(head, 0, both, 0, head.length);
                System.arraycopy(junk, 0, both, head.length, junk.length);
                junk = both;
            }
            try {
                BundleVersion.read(new ByteArrayInputStream(junk), "Implementation-Version");
            } catch (BundleVersionException expected) {
                assertFalse(expected.getMessage() == null || expected.getMessage().isBlank(), "round " + round);
            } catch (RuntimeException | Error e) {
                fail("round " + round + ": junk manifest escaped as " + e, e);
            }
        }
    }

    @Test
    void streamThatFailsToReadIsABundleVersionExceptionAndIsClosed() {
        AtomicBoolean closed = new AtomicBoolean();
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        BundleVersionException e = assertThrows(BundleVersionException.class,
                () -> BundleVersion.read(failing, "Implementation-Version"));
        assertTrue(e.getMessage().contains("cannot be read"), e.getMessage());
        assertTrue(closed.get(), "the manifest stream is closed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"latest", "1.0#2", "${project.version}", "1.0 beta"})
    void nonVersionValueIsReportedWithTheAttribute(String value) {
        BundleVersionException e = assertThrows(BundleVersionException.class, () -> BundleVersion.read(
                manifest("Manifest-Version: 1.0\nImplementation-Version: " + value + "\n"), "Implementation-Version"));
        assertTrue(e.getMessage().contains("Implementation-Version"), e.getMessage());
        assertTrue(e.getMessage().contains("not a version"), e.getMessage());
    }
}
