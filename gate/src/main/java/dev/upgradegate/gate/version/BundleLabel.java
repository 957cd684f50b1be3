package dev.upgradegate.gate.version;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

/**
 * A bundle's version, as far as it says one: its manifest's attribute, else the version of the single
 * {@code META-INF/maven/<group>/<artifact>/pom.properties} that Maven's war plugin writes by default, else
 * unknown. The migrations decide whether the bundle fits its database; the version labels it, and guards
 * against a rolled-back bundle.
 */
public final class BundleLabel {

    static final String MAVEN = "/META-INF/maven/";

    /** The bundle's files, as its container shows them. */
    public interface Files {
        /** One file, such as {@code /META-INF/MANIFEST.MF}, or {@code null} when absent. */
        InputStream resource(String path) throws IOException;

        /** The paths directly below {@code folder} (ending in '/'), folders ending in '/'; empty when none. */
        Set<String> list(String folder) throws IOException;
    }

    private final Version version;
    private final String source;

    private BundleLabel(Version version, String source) {
        this.version = version;
        this.source = source;
    }

    /** Reads the label; never throws: what could not be read is said in {@link #source()}. */
    public static BundleLabel of(Files bundle, String attribute) {
        String manifestProblem;
        try (InputStream manifest = bundle.resource(BundleVersion.MANIFEST)) {
            return new BundleLabel(BundleVersion.read(manifest, attribute),
                    BundleVersion.MANIFEST.substring(1) + " " + attribute);
        } catch (BundleVersion.BundleVersionException | IOException e) {
            manifestProblem = e.getMessage();
        }
        List<String> poms = new ArrayList<>();
        try {
            for (String group : bundle.list(MAVEN)) {
                for (String artifact : bundle.list(group)) {
                    if (bundle.list(artifact).contains(artifact + "pom.properties")) {
                        poms.add(artifact + "pom.properties");
                    }
                }
            }
        } catch (IOException e) {
            return unknown(manifestProblem + ", and " + MAVEN + " cannot be listed (" + e.getMessage() + ")");
        }
        if (poms.size() != 1) {
            return unknown(manifestProblem + ", and " + (poms.isEmpty() ? "there is no " + MAVEN + "*/*/pom.properties"
                    : "there are " + poms.size() + " pom.properties files under " + MAVEN + ", not one"));
        }
        String pom = poms.get(0);
        Properties properties = new Properties();
        try (InputStream in = bundle.resource(pom)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException | IllegalArgumentException e) {
            return unknown(pom.substring(1) + " cannot be read (" + e.getMessage() + ")");
        }
        String value = properties.getProperty("version");
        try {
            return new BundleLabel(Version.parse(value == null ? "" : value.trim()), pom.substring(1) + " version");
        } catch (IllegalArgumentException e) {
            return unknown(pom.substring(1) + " has no version that is a version (" + e.getMessage() + ")");
        }
    }

    private static BundleLabel unknown(String why) {
        return new BundleLabel(null, "unknown: " + why);
    }

    /** The version, or {@code null} when the bundle says none. */
    public Version version() {
        return version;
    }

    /** Where the version came from, e.g. {@code META-INF/MANIFEST.MF Implementation-Version}, or why it is unknown. */
    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return version == null ? "unknown" : version.toString();
    }
}
