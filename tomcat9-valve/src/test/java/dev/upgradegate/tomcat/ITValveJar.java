package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;

/**
 * The shaded jar as it ships, read as bytes and loaded beside nothing but Tomcat 9. Its sources are generated from
 * tomcat-valve's: a jakarta.servlet name left in any class, or a class the shading left behind, would fail in
 * Tomcat 9 only when that class is first used, perhaps in a rarely taken branch no request test reaches.
 */
class ITValveJar {

    static final Path VALVE_JAR = Path.of(System.getProperty("upgradegate.valve.jar"));
    static final Path TOMCAT_HOME = Path.of(System.getProperty("upgradegate.tomcat9.dist"));

    @Test
    void noClassNamesAJakartaServletType() throws IOException {
        List<String> jakarta = new ArrayList<>();
        List<String> javax = new ArrayList<>();
        try (ZipFile jar = new ZipFile(VALVE_JAR.toFile())) {
            for (ZipEntry entry : Collections.list(jar.entries())) {
                if (!entry.getName().endsWith(".class")) {
                    continue;
                }
                List<String> constants;
                try (InputStream in = jar.getInputStream(entry)) {
                    constants = utf8Constants(in.readAllBytes());
                }
                if (constants.stream().anyMatch(text -> text.contains("jakarta/servlet") || text.contains("jakarta.servlet"))) {
                    jakarta.add(entry.getName());
                }
                if (constants.stream().anyMatch(text -> text.contains("javax/servlet/"))) {
                    javax.add(entry.getName());
                }
            }
        }
        assertEquals(List.of(), jakarta, "classes in " + VALVE_JAR + " that name jakarta.servlet");
        // The scan sees what it looks for: the valve's own classes name the Servlet API, as javax.
        assertTrue(javax.contains("dev/upgradegate/tomcat/UpgradeGateValve.class"), "javax.servlet named by " + javax);
        assertTrue(javax.contains("dev/upgradegate/tomcat/TomcatExchange.class"), "javax.servlet named by " + javax);
    }

    @Test
    void itsClassesLinkWithOnlyTomcat9BesideThem() throws Exception {
        List<URL> classPath = new ArrayList<>(List.of(VALVE_JAR.toUri().toURL(),
                TOMCAT_HOME.resolve("bin/tomcat-juli.jar").toUri().toURL()));
        try (Stream<Path> lib = Files.list(TOMCAT_HOME.resolve("lib"))) {
            for (Path jar : lib.filter(path -> path.toString().endsWith(".jar")).sorted().toList()) {
                classPath.add(jar.toUri().toURL());
            }
        }
        List<String> ours = new ArrayList<>();
        try (ZipFile jar = new ZipFile(VALVE_JAR.toFile())) {
            for (ZipEntry entry : Collections.list(jar.entries())) {
                String name = entry.getName();
                // Our own classes, every one: the relocated libraries have optional parts that nothing of ours uses.
                if (name.startsWith("dev/upgradegate/") && !name.startsWith("dev/upgradegate/shaded/")
                        && name.endsWith(".class")) {
                    ours.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
                }
            }
        }
        assertFalse(ours.isEmpty(), "no class of ours in " + VALVE_JAR);

        List<String> broken = new ArrayList<>();
        // The platform loader as parent, as Tomcat's own common loader has: the JDK and nothing of this test's.
        try (URLClassLoader tomcat9 = new URLClassLoader(classPath.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            for (String name : ours) {
                try {
                    Class<?> type = Class.forName(name, false, tomcat9);
                    // Reflection links the class: the verifier and every member's signature load the types they name.
                    type.getDeclaredFields();
                    type.getDeclaredMethods();
                    type.getDeclaredConstructors();
                } catch (ClassNotFoundException | LinkageError | TypeNotPresentException missing) {
                    broken.add(name + ": " + missing);
                }
            }
            Class<?> valve = tomcat9.loadClass("dev.upgradegate.tomcat.UpgradeGateValve");
            assertTrue(tomcat9.loadClass("org.apache.catalina.Valve").isAssignableFrom(valve),
                    "UpgradeGateValve is not a Tomcat 9 Valve");
            String server = (String) tomcat9.loadClass("org.apache.catalina.util.ServerInfo")
                    .getMethod("getServerNumber").invoke(null);
            assertTrue(server.startsWith("9."), "not Tomcat 9: " + server);
        }
        assertEquals(List.of(), broken, ours.size() + " classes of ours loaded beside " + TOMCAT_HOME);
    }

    /** The CONSTANT_Utf8 entries of a class file's constant pool: every name, descriptor and string it holds. */
    static List<String> utf8Constants(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.skipBytes(4);
        int count = in.readUnsignedShort();
        List<String> texts = new ArrayList<>();
        for (int index = 1; index < count; index++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                // Utf8: a length, then modified UTF-8, which is what readUTF reads.
                case 1 -> texts.add(in.readUTF());
                case 7, 8, 16, 19, 20 -> in.skipBytes(2);
                case 15 -> in.skipBytes(3);
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4);
                case 5, 6 -> {
                    // A long or a double takes two entries of the pool.
                    in.skipBytes(8);
                    index++;
                }
                default -> throw new IOException("constant pool tag " + tag + " at entry " + index);
            }
        }
        return texts;
    }
}
