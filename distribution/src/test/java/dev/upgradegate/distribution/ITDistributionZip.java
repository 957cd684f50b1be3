package dev.upgradegate.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Enumeration;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.gate.config.GateSettings;

/** Unpacks upgradegate-VERSION.zip as a user would, and uses what is in it as the README says. */
class ITDistributionZip {

    static final Path ZIP = Path.of(System.getProperty("upgradegate.dist.zip"));
    static final String VERSION = System.getProperty("upgradegate.version");

    @TempDir
    Path unpacked;

    private Path unzip() throws IOException {
        try (ZipFile zip = new ZipFile(ZIP.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                Path target = unpacked.resolve(entry.getName()).normalize();
                assertTrue(target.startsWith(unpacked), entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
                if (entry.getName().contains("/bin/")) {
                    Files.setPosixFilePermissions(target, java.util.EnumSet.of(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
                }
            }
        }
        return unpacked.resolve("upgradegate-" + VERSION);
    }

    @Test
    void holdsTheJarsTheScriptTheSampleAndTheReadme() throws Exception {
        Path home = unzip();
        for (String file : new String[] {"README.md", "bin/upgradegate", "conf/upgradegate.properties",
                "lib/upgradegate-tomcat-valve-" + VERSION + ".jar", "lib/upgradegate-tomcat9-valve-" + VERSION + ".jar",
                "lib/upgradegate-agent-" + VERSION + ".jar", "docs/recipes.md"}) {
            assertTrue(Files.isRegularFile(home.resolve(file)), file);
        }
    }

    @Test
    void theValveJarInLibIsTheDropInTheReadmeNames() throws Exception {
        Path home = unzip();
        URL jar = home.resolve("lib/upgradegate-tomcat-valve-" + VERSION + ".jar").toUri().toURL();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar}, null)) {
            // Self-contained: the gate and its libraries are inside, relocated.
            assertTrue(loader.getResource("dev/upgradegate/tomcat/UpgradeGateValve.class") != null);
            assertTrue(loader.getResource("dev/upgradegate/gate/WebappGate.class") != null);
            assertTrue(loader.getResource("dev/upgradegate/shaded/liquibase/Liquibase.class") != null
                    || loader.getResource("liquibase/Liquibase.class") == null, "Liquibase is relocated");
        }
        String readme = Files.readString(home.resolve("README.md"));
        assertTrue(readme.contains("dev.upgradegate.tomcat.UpgradeGateValve"), "the README names the valve class");
    }

    @Test
    void theSampleConfigurationIsValidAsShipped() throws Exception {
        Path home = unzip();
        GateSettings sample = GateSettings.load(home.resolve("conf/upgradegate.properties"));
        assertNull(sample.problem(), "the sample loads without problems");
        String text = Files.readString(home.resolve("conf/upgradegate.properties"));
        assertTrue(text.contains("#health.path=/upgradegate/health"), text);
    }

    @Test
    void theCliWrapperRunsTheAgentJar() throws Exception {
        Path home = unzip();
        Process process = new ProcessBuilder(home.resolve("bin/upgradegate").toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the CLI ends");
        assertTrue(output.contains("status") && output.contains("upgrade"), "the CLI prints its usage: " + output);
        assertTrue(process.exitValue() != 0 || output.contains("usage") || output.contains("Usage"), output);
        assertEquals(-1, output.indexOf("Exception in thread"), output);
    }
}
