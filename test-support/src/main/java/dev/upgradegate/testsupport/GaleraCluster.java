package dev.upgradegate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * A MariaDB Galera cluster on this machine: Debian's {@code mariadb-server} and {@code galera-4}, one
 * {@link GaleraNode} per {@code mariadbd} process, each with its own data directory and loopback ports, the first
 * founding the cluster and the others joining it by state transfer (rsync). A test account, {@link #user()}, may do
 * anything on every node: it was created on the first node and reached the others by replication.
 *
 * <p>The nodes never outlive the JVM: a shutdown hook stops them and removes their directories, and each node's
 * {@link ServerTether} stops it when the JVM was killed without running hooks.
 */
public final class GaleraCluster {

    /** How long a node may take to join by SST on a busy machine; a few seconds on an idle one. */
    static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);
    private static final String TEMP_PREFIX = "upgradegate-galera-";
    private static final String LOG_PREFIX = "[upgradegate-test] ";
    private static final String USER = "upgradegate";
    private static final String PASSWORD = "galera-test";
    private static final int PORTS_PER_NODE = 4;

    private static GaleraCluster shared;
    private static RuntimeException sharedFailure;

    private final List<GaleraNode> nodes = new ArrayList<>();
    private String description = "";

    private GaleraCluster() {}

    /** The three-node cluster of this JVM, started on first use; tests leave it whole ({@link #makeWhole()}). */
    public static synchronized GaleraCluster shared() {
        if (shared != null) {
            return shared;
        }
        // Every later test class fails at once with the same reason rather than trying again.
        if (sharedFailure != null) {
            throw sharedFailure;
        }
        try {
            shared = start(3);
        } catch (RuntimeException e) {
            sharedFailure = e;
            throw e;
        }
        return shared;
    }

    /** Installs and starts a cluster of {@code size} nodes and waits until every node is Synced. */
    public static GaleraCluster start(int size) {
        long started = System.nanoTime();
        ServerTether.removeAbandoned(Path.of(System.getProperty("java.io.tmpdir")), TEMP_PREFIX);
        GaleraCluster cluster = new GaleraCluster();
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "upgradegate-galera-cleanup"));
        try {
            cluster.install(size);
            cluster.nodes.get(0).launch(true, JOIN_TIMEOUT);
            // One joiner at a time: a donor serves one SST at once.
            for (GaleraNode joiner : cluster.nodes.subList(1, size)) {
                joiner.launch(false, JOIN_TIMEOUT);
            }
            cluster.createTestAccount();
            cluster.description = cluster.describe();
        } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
            cluster.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("The MariaDB Galera cluster of " + size + " nodes did not start (it needs"
                    + " Debian's mariadb-server, galera-4 and rsync: apt-get install mariadb-server galera-4 rsync)",
                    e);
        }
        System.out.printf("%sdatabase server: %s, ready in %.1f s%n", LOG_PREFIX, cluster.description,
                (System.nanoTime() - started) / 1e9);
        return cluster;
    }

    private void install(int size) throws IOException, InterruptedException {
        int[] ports = freeLoopbackPorts(size * PORTS_PER_NODE);
        for (int i = 0; i < size; i++) {
            int first = i * PORTS_PER_NODE;
            nodes.add(new GaleraNode(this, i + 1, Files.createTempDirectory(TEMP_PREFIX), ports[first],
                    ports[first + 1], ports[first + 2], ports[first + 3]));
        }
        String name = "upgradegate-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
        for (GaleraNode node : nodes) {
            node.install(name, nodes);
        }
    }

    private void createTestAccount() throws SQLException {
        nodes.get(0).execute("CREATE USER '" + USER + "'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'%' WITH GRANT OPTION");
        for (GaleraNode node : nodes) {
            awaitOn(node, "the test account", () -> {
                try (Connection connection = node.connect("")) {
                    return connection.isValid(5);
                }
            });
        }
    }

    private String describe() throws SQLException {
        String version;
        try (Connection connection = nodes.get(0).adminConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT VERSION()")) {
            row.next();
            version = row.getString(1).replaceFirst("-MariaDB.*$", "");
        }
        String galera = nodes.get(0).status("wsrep_provider_version").replaceFirst("\\(.*$", "");
        return "MariaDB Galera cluster " + version + ", " + nodes.size()
                + " nodes (Debian mariadb-server + galera-4, provider " + galera + ") at " + TomcatProcess.HOST + ":"
                + nodes.stream().map(node -> Integer.toString(node.port())).collect(Collectors.joining(","));
    }

    /** Node {@code number}, counted from 1. */
    public GaleraNode node(int number) {
        return nodes.get(number - 1);
    }

    public List<GaleraNode> nodes() {
        return List.copyOf(nodes);
    }

    public int size() {
        return nodes.size();
    }

    /** The test account, the same on every node. */
    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** As the fixture printed it: versions, node count and SQL ports. */
    public String description() {
        return description;
    }

    /**
     * Creates a database with a fresh name starting with {@code prefix} through a Synced node, and waits until every
     * running node in the primary component shows it.
     */
    public String createDatabase(String prefix) {
        String name = Databases.uniqueName(prefix);
        try (Connection connection = anySynced().adminConnection()) {
            Databases.create(connection, name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " on the Galera cluster", e);
        }
        for (GaleraNode node : nodes) {
            if (node.running() && !node.isolated()) {
                awaitOn(node, "database " + name, () -> hasDatabase(node, name));
            }
        }
        return name;
    }

    /** Drops the database, after ending the sessions any node still has in it. */
    public void dropDatabase(String name) {
        try {
            GaleraNode through = anySynced();
            for (GaleraNode node : nodes) {
                if (node != through && node.running() && !node.isolated()) {
                    try (Connection connection = node.adminConnection()) {
                        Databases.killSessionsUsing(connection, name);
                    }
                }
            }
            try (Connection connection = through.adminConnection()) {
                Databases.drop(connection, name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop database " + name + " on the Galera cluster", e);
        }
    }

    /**
     * Brings back every stopped, killed or isolated node and waits until each one is Synced in a cluster of all of
     * them: what a test that broke the cluster calls afterwards, so that the next one finds it whole.
     */
    public void makeWhole() {
        try {
            for (GaleraNode node : nodes) {
                if (!node.running()) {
                    node.start();
                } else if (node.isolated()) {
                    node.rejoin();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not make the Galera cluster whole again", e);
        }
        for (GaleraNode node : nodes) {
            node.awaitSynced(JOIN_TIMEOUT);
            node.awaitClusterSize(nodes.size(), JOIN_TIMEOUT);
        }
    }

    private GaleraNode anySynced() {
        for (GaleraNode node : nodes) {
            try {
                if (node.running() && !node.isolated() && "Synced".equals(node.state())) {
                    return node;
                }
            } catch (SQLException notThisOne) {
                // try the next node
            }
        }
        throw new IllegalStateException("no node of the Galera cluster is Synced");
    }

    private static boolean hasDatabase(GaleraNode node, String name) throws SQLException {
        try (Connection connection = node.adminConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    /** Replication is asynchronous for a reader on another node: wait until {@code node} has applied it. */
    private static void awaitOn(GaleraNode node, String what, SqlCheck check) {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        while (true) {
            SQLException last = null;
            try {
                if (check.holds()) {
                    return;
                }
            } catch (SQLException notYet) {
                last = notYet;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(node + " did not show " + what + " within "
                        + JOIN_TIMEOUT.toSeconds() + " s", last);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what + " on " + node, e);
            }
        }
    }

    @FunctionalInterface
    private interface SqlCheck {
        boolean holds() throws SQLException;
    }

    /** Stops every node at once and removes their directories. */
    private void close() {
        List<Thread> stopping = new ArrayList<>();
        for (GaleraNode node : nodes) {
            Thread thread = new Thread(node::stop, "stop-galera-node-" + node.number());
            thread.start();
            stopping.add(thread);
        }
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        nodes.forEach(node -> EmbeddedMariaDb.deleteRecursively(node.dir()));
    }

    /** Distinct free ports, all held open until every one is chosen so that none is picked twice. */
    private static int[] freeLoopbackPorts(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(TomcatProcess.HOST));
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free ports on " + TomcatProcess.HOST, e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket that accepted nothing does not fail in practice
                }
            }
        }
    }
}
