package dev.upgradegate.agent.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import dev.upgradegate.gate.webapp.Webapp;

/**
 * A webapp's bundle outside any server: a WAR (or its unpacked folder) and extra class path entries, such as
 * the JDBC driver the container would provide. Its changelog comes from its class path, its version from its
 * {@code META-INF/MANIFEST.MF}.
 */
final class Bundle implements Webapp, AutoCloseable {

    private final String name;
    private final Path root;
    private final List<Path> classpath;
    private final URLClassLoader loader;
    private final Path unpacked;

    private Bundle(String name, Path root, List<Path> classpath, Path unpacked) throws IOException {
        this.name = name;
        this.root = root;
        this.classpath = classpath;
        this.unpacked = unpacked;
        URL[] urls = new URL[classpath.size()];
        for (int i = 0; i < urls.length; i++) {
            urls[i] = classpath.get(i).toUri().toURL();
        }
        this.loader = new URLClassLoader("upgradegate-bundle-" + name, urls, ClassLoader.getPlatformClassLoader());
    }

    /**
     * @param war a WAR file or an unpacked webapp folder, or {@code null}
     * @param extra further class path entries (folders or jars)
     * @throws CliFailure naming the option whose file is missing or unreadable
     */
    static Bundle open(String name, Path war, List<Path> extra) throws CliFailure {
        for (Path entry : extra) {
            if (!Files.exists(entry)) {
                throw new CliFailure("--classpath " + entry + ": no such file or folder");
            }
        }
        if (war != null && !Files.exists(war)) {
            throw new CliFailure("--war " + war + ": no such file or folder");
        }
        Path unpacked = null;
        try {
            List<Path> classpath = new ArrayList<>();
            Path root = null;
            if (war != null) {
                if (Files.isDirectory(war)) {
                    root = war;
                } else {
                    unpacked = Files.createTempDirectory("upgradegate-war-");
                    unzip(war, unpacked);
                    root = unpacked;
                }
                classpath.add(root.resolve("WEB-INF/classes"));
                Path lib = root.resolve("WEB-INF/lib");
                if (Files.isDirectory(lib)) {
                    try (Stream<Path> jars = Files.list(lib)) {
                        jars.filter(jar -> jar.toString().endsWith(".jar")).sorted().forEach(classpath::add);
                    }
                }
            }
            classpath.addAll(extra);
            return new Bundle(name, root, classpath, unpacked);
        } catch (IOException e) {
            delete(unpacked);
            throw new CliFailure("--war " + war + ": not a readable WAR or webapp folder (" + e.getMessage() + ")");
        }
    }

    private static void unzip(Path war, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            for (ZipEntry entry : java.util.Collections.list(zip.entries())) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException(war + ": entry outside the archive: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = zip.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String contextPath() {
        return Webapp.contextPathOf(name);
    }

    @Override
    public ClassLoader classLoader() {
        return loader;
    }

    /** A WAR's files come from its root; without a WAR, from the first class path entry that has them. */
    @Override
    public InputStream resource(String path) throws IOException {
        String relative = path.startsWith("/") ? path.substring(1) : path;
        if (root != null) {
            Path file = root.resolve(relative);
            return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
        }
        for (Path entry : classpath) {
            if (Files.isDirectory(entry)) {
                Path file = entry.resolve(relative);
                if (Files.isRegularFile(file)) {
                    return Files.newInputStream(file);
                }
            } else if (Files.isRegularFile(entry)) {
                ZipFile zip = new ZipFile(entry.toFile());
                ZipEntry found = zip.getEntry(relative);
                if (found != null) {
                    return new java.io.FilterInputStream(zip.getInputStream(found)) {
                        @Override
                        public void close() throws IOException {
                            super.close();
                            zip.close();
                        }
                    };
                }
                zip.close();
            }
        }
        return null;
    }

    /** A WAR's folders, as a container lists them; without a WAR, nothing. */
    @Override
    public Set<String> list(String folder) throws IOException {
        if (root == null) {
            return Set.of();
        }
        Path dir = root.resolve(folder.startsWith("/") ? folder.substring(1) : folder);
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        Set<String> paths = new TreeSet<>();
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        try (Stream<Path> children = Files.list(dir)) {
            children.forEach(child -> paths.add(prefix + child.getFileName() + (Files.isDirectory(child) ? "/" : "")));
        }
        return paths;
    }

    @Override
    public Object lookup(String jndiName) {
        throw new UnsupportedOperationException("no JNDI outside a server: give the CLI --jdbc-url, "
                + "or jdbc.url in the configuration, instead of datasource=" + jndiName);
    }

    @Override
    public void close() throws IOException {
        loader.close();
        delete(unpacked);
    }

    private static void delete(Path folder) {
        if (folder == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
