package dev.upgradegate.gate.version;

import java.io.IOException;
import java.io.InputStream;
import java.util.jar.Attributes;
import java.util.jar.Manifest;

/** Reads a webapp bundle's version from its {@code META-INF/MANIFEST.MF}. */
public final class BundleVersion {

    public static final String MANIFEST = "/META-INF/MANIFEST.MF";

    private BundleVersion() {
    }

    /**
     * @param manifest the manifest's bytes, or {@code null} when the bundle has none
     * @param attribute the main attribute that holds the version, e.g. {@code Implementation-Version}
     * @throws BundleVersionException saying what is missing or wrong, in words fit for the log
     */
    public static Version read(InputStream manifest, String attribute) throws BundleVersionException {
        if (manifest == null) {
            throw new BundleVersionException(MANIFEST + " is missing, so the bundle's version ("
                    + attribute + ") is unknown");
        }
        String value;
        try (InputStream in = manifest) {
            value = new Manifest(in).getMainAttributes().getValue(new Attributes.Name(attribute));
        } catch (IOException | RuntimeException e) {
            throw new BundleVersionException(MANIFEST + " cannot be read (" + e.getMessage() + ")");
        }
        if (value == null || value.isBlank()) {
            throw new BundleVersionException(MANIFEST + " has no " + attribute + " attribute");
        }
        try {
            return Version.parse(value);
        } catch (IllegalArgumentException e) {
            throw new BundleVersionException(MANIFEST + " attribute " + attribute + " is not a version: "
                    + e.getMessage());
        }
    }

    /** Why a bundle's version could not be read. */
    public static final class BundleVersionException extends Exception {
        private static final long serialVersionUID = 1L;

        BundleVersionException(String message) {
            super(message);
        }
    }
}
