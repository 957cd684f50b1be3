package dev.upgradegate.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/** The agent's own jar file and the class loaders over its folders. */
final class AgentJar {

    static final String BRIDGE = "upgradegate/bridge/";
    static final String CORE = "upgradegate/core/";

    private final Path path;
    private final JarFile jar;

    private AgentJar(Path path) throws IOException {
        this.path = path;
        this.jar = new JarFile(path.toFile(), false);
    }

    static AgentJar locate() throws IOException {
        try {
            URL location = AgentJar.class.getProtectionDomain().getCodeSource().getLocation();
            return new AgentJar(Path.of(location.toURI()));
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot locate the UpgradeGate agent jar: " + e, e);
        }
    }

    Path path() {
        return path;
    }

    /** The agent's inner class path: the gate, Liquibase, Byte Buddy and the agent's own workings. */
    ClassLoader coreLoader() throws IOException {
        return new NestedClassLoader(jar, path.toUri().toURL(), CORE, ClassLoader.getPlatformClassLoader(), null);
    }

    /**
     * The bridge classes, copied into a jar of their own, because only a whole jar can join the boot class
     * path and the agent jar must not: that would show everything in it to every class loader.
     */
    File bridgeJar() throws IOException {
        Path copy = Files.createTempFile("upgradegate-bridge-", ".jar");
        copy.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(copy); JarOutputStream out = new JarOutputStream(file)) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith(BRIDGE) && !entry.isDirectory()) {
                    out.putNextEntry(new JarEntry(entry.getName().substring(BRIDGE.length())));
                    try (InputStream in = jar.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        return copy.toFile();
    }
}
