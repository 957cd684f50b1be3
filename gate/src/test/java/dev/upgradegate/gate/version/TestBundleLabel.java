package dev.upgradegate.gate.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Where a bundle's version comes from: the manifest, else Maven's pom.properties, else nowhere. */
class TestBundleLabel {

    static final String MAVEN_MANIFEST = "Manifest-Version: 1.0\nCreated-By: Maven WAR Plugin 3.4.0\n";

    @Test
    void theManifestComesFirst() {
        BundleLabel label = BundleLabel.of(FakeBundle.files(Map.of("/META-INF/MANIFEST.MF",
                "Manifest-Version: 1.0\nImplementation-Version: 2.0.0\n",
                "/META-INF/maven/com.example/shop/pom.properties", "version=9.9.9\n")), "Implementation-Version");
        assertEquals("2.0.0", label.toString());
        assertEquals("META-INF/MANIFEST.MF Implementation-Version", label.source());
    }

    @Test
    void aWarBuiltByMavensDefaultsHasItsVersionInPomProperties() {
        BundleLabel label = BundleLabel.of(FakeBundle.files(Map.of("/META-INF/MANIFEST.MF", MAVEN_MANIFEST,
                "/META-INF/maven/com.example/shop/pom.properties", "#Created by Apache Maven 3.9.6\n"
                        + "groupId=com.example\nartifactId=shop\nversion=2.0.1\n")), "Implementation-Version");
        assertEquals(Version.parse("2.0.1"), label.version());
        assertEquals("META-INF/maven/com.example/shop/pom.properties version", label.source());
    }

    @Test
    void severalPomPropertiesOrNoneLeaveTheVersionUnknownAndSayWhy() {
        BundleLabel several = BundleLabel.of(FakeBundle.files(Map.of("/META-INF/MANIFEST.MF", MAVEN_MANIFEST,
                "/META-INF/maven/com.example/shop/pom.properties", "version=1.0\n",
                "/META-INF/maven/com.example/overlay/pom.properties", "version=2.0\n")), "Implementation-Version");
        assertNull(several.version());
        assertTrue(several.source().contains("there are 2 pom.properties files"), several.source());

        BundleLabel none = BundleLabel.of(FakeBundle.files(Map.of("/META-INF/MANIFEST.MF", MAVEN_MANIFEST)), "Implementation-Version");
        assertEquals("unknown", none.toString());
        assertTrue(none.source().contains("has no Implementation-Version attribute")
                && none.source().contains("no /META-INF/maven/*/*/pom.properties"), none.source());
    }

    @Test
    void aPomPropertiesVersionThatIsNoVersionIsUnknown() {
        BundleLabel label = BundleLabel.of(FakeBundle.files(Map.of("/META-INF/maven/g/a/pom.properties", "version=${revision}\n")),
                "Implementation-Version");
        assertNull(label.version());
        assertTrue(label.source().contains("META-INF/maven/g/a/pom.properties has no version that is a version"),
                label.source());
    }
}
