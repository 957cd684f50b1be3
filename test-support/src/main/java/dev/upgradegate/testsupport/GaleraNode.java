package dev.upgradegate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One {@code mariadbd} of a {@link GaleraCluster}: its own data directory, SQL port, group-communication port, IST
 * port and SST port on the loopback interface, started through a {@link ServerTether} so that it ends with the JVM.
 */
public final class GaleraNode {

    static final String ADMIN_USER = "root";
    private static final String URL_PARAMETERS = "?useSSL=false&allowPublicKeyRetrieval=true";
    private static final String MARIADBD = "/usr/sbin/mariadbd";
    private static final String INSTALL_DB = "/usr/bin/mariadb-install-db";
    private static final String PROVIDER = "/usr/lib/galera/libgalera_smm.so";
    /** Debian's account for the server: rsync's SST daemon, started by mariadbd, refuses to write as root. */
    private static final String SERVER_ACCOUNT = "mysql";
    private static final Duration POLL = Duration.ofMillis(200);

    private final GaleraCluster cluster;
    private final int number;
    private final Path dir;
    private final int port;
    private final int gmcastPort;
    private final int istPort;
    private final int sstPort;
    private Process tether;
    private boolean isolated;

    GaleraNode(GaleraCluster cluster, int number, Path dir, int port, int gmcastPort, int istPort, int sstPort) {
        this.cluster = cluster;
        this.number = number;
        this.dir = dir;
        this.port = port;
        this.gmcastPort = gmcastPort;
        this.istPort = istPort;
        this.sstPort = sstPort;
    }

    /** 1, 2, 3, ... in the order the cluster started them. */
    public int number() {
        return number;
    }

    public String host() {
        return TomcatProcess.HOST;
    }

    public int port() {
        return port;
    }

    /** The URL of {@code database} on this node, for the driver the tests run with; an empty name for none. */
    public String jdbcUrl(String database) {
        return TestDriver.selected().scheme() + "//" + host() + ":" + port + "/" + database + URL_PARAMETERS;
    }

    /** A connection as the cluster's test account ({@link GaleraCluster#user()}). */
    public Connection connect(String database) throws SQLException {
        return connect(database, cluster.user(), cluster.password());
    }

    /** Where this node's data, configuration and error log live. */
    public Path dir() {
        return dir;
    }

    public Path errorLog() {
        return dir.resolve("error.log");
    }

    String gcommAddress() {
        return host() + ":" + gmcastPort;
    }

    /** Whether the mariadbd process runs, whatever its state in the cluster. */
    public synchronized boolean running() {
        return tether != null && tether.isAlive();
    }

    /** {@code wsrep_local_state_comment}: Synced, Donor/Desynced, Joining, Joined, Initialized… */
    public String state() throws SQLException {
        return status("wsrep_local_state_comment");
    }

    /** {@code wsrep_cluster_size} as this node sees it. */
    public int clusterSize() throws SQLException {
        return Integer.parseInt(status("wsrep_cluster_size"));
    }

    /** {@code wsrep_cluster_status}: Primary, or non-Primary when this node lost quorum. */
    public String clusterStatus() throws SQLException {
        return status("wsrep_cluster_status");
    }

    /** A global status variable of this node, asked as the administrator. */
    public String status(String name) throws SQLException {
        try (Connection connection = adminConnection();
                PreparedStatement query = connection.prepareStatement("SHOW GLOBAL STATUS LIKE ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new SQLException("node " + number + " has no status variable " + name);
                }
                return row.getString(2);
            }
        }
    }

    /** Runs statements as the administrator on this node alone. */
    public void execute(String... statements) throws SQLException {
        try (Connection connection = adminConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    Connection adminConnection() throws SQLException {
        return connect("", ADMIN_USER, "");
    }

    private Connection connect(String database, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5000");
        properties.setProperty("socketTimeout", "30000");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    /** Writes the configuration and an empty system database, owned by the server's account. */
    void install(String clusterName, List<GaleraNode> members) throws IOException, InterruptedException {
        String addresses = String.join(",", members.stream().map(GaleraNode::gcommAddress).toList());
        String cnf = """
                [mariadbd]
                datadir=%1$s/data
                port=%2$d
                socket=%1$s/mariadbd.sock
                pid-file=%1$s/mariadbd.pid
                log-error=%1$s/error.log
                bind-address=%3$s
                skip-name-resolve
                skip-ssl
                character-set-server=utf8mb4
                collation-server=utf8mb4_general_ci
                binlog_format=ROW
                default_storage_engine=InnoDB
                innodb_autoinc_lock_mode=2
                innodb_buffer_pool_size=64M
                innodb_log_file_size=16M
                innodb_flush_log_at_trx_commit=2
                innodb_doublewrite=0
                wsrep_on=ON
                wsrep_provider=%4$s
                wsrep_cluster_name=%5$s
                wsrep_cluster_address=gcomm://%6$s
                wsrep_node_name=node%7$d
                wsrep_node_address=%3$s:%8$d
                wsrep_provider_options="gmcast.listen_addr=tcp://%3$s:%8$d;ist.recv_addr=%3$s:%9$d"
                wsrep_sst_method=rsync
                wsrep_sst_receive_address=%3$s:%10$d
                """.formatted(dir, port, host(), PROVIDER, clusterName, addresses, number, gmcastPort, istPort,
                sstPort);
        Files.writeString(configuration(), cnf, StandardCharsets.UTF_8);
        if (EmbeddedMariaDb.runningAsRoot()) {
            // The node's files are the server account's, as Debian's package lays them out.
            Files.setOwner(dir, dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(
                    SERVER_ACCOUNT));
        }
        List<String> command = new ArrayList<>(List.of(INSTALL_DB, "--defaults-file=" + configuration(),
                "--auth-root-authentication-method=normal", "--skip-test-db"));
        command.addAll(accountOption());
        Process install = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("install.log").toFile()).start();
        if (!install.waitFor(2, TimeUnit.MINUTES) || install.exitValue() != 0) {
            install.destroyForcibly();
            throw new IllegalStateException("mariadb-install-db failed for Galera node " + number + ":\n"
                    + Files.readString(dir.resolve("install.log"), StandardCharsets.ISO_8859_1));
        }
    }

    private Path configuration() {
        return dir.resolve("my.cnf");
    }

    private static List<String> accountOption() {
        return EmbeddedMariaDb.runningAsRoot() ? List.of("--user=" + SERVER_ACCOUNT) : List.of();
    }

    /**
     * Starts mariadbd, as the first node of a new cluster ({@code bootstrap}) or joining the running nodes (by IST,
     * or by SST with rsync when its data is too old or was cut off by a kill), and waits until it is Synced.
     */
    synchronized void launch(boolean bootstrap, Duration timeout) throws IOException {
        if (running()) {
            throw new IllegalStateException("Galera node " + number + " already runs");
        }
        if (bootstrap) {
            // A node killed last refuses to found a cluster unless told that its data is the newest there is.
            Path grastate = dir.resolve("data/grastate.dat");
            if (Files.exists(grastate)) {
                Files.writeString(grastate, Files.readString(grastate)
                        .replace("safe_to_bootstrap: 0", "safe_to_bootstrap: 1"));
            }
        }
        List<String> command = new ArrayList<>(List.of(
                ServerTether.write(Path.of(MARIADBD), dir, true).toString(), "--defaults-file=" + configuration()));
        command.addAll(accountOption());
        if (bootstrap) {
            command.add("--wsrep-new-cluster");
        }
        tether = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("out.log").toFile())).start();
        isolated = false;
        awaitSynced(timeout);
    }

    /** Starts the stopped or killed node again and waits until it has rejoined the cluster and is Synced. */
    public void start() {
        try {
            launch(cluster.nodes().stream().noneMatch(node -> node != this && node.running()),
                    GaleraCluster.JOIN_TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Galera node " + number, e);
        }
    }

    /** SIGKILL to mariadbd (and any SST it runs), as the OOM killer or a crash would; the others see it vanish. */
    public void kill() {
        Process process;
        synchronized (this) {
            process = tether;
        }
        if (process == null || !process.isAlive()) {
            return;
        }
        List<ProcessHandle> servers = process.toHandle().children()
                .filter(child -> child.info().command().map(command -> command.endsWith("mariadbd")).orElse(false))
                .toList();
        List<ProcessHandle> tree = new ArrayList<>();
        for (ProcessHandle server : servers) {
            tree.add(server);
            server.descendants().forEach(tree::add);
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        // The tether sees its server gone and exits.
        awaitExit(process, Duration.ofSeconds(20));
    }

    /** A clean shutdown (SIGTERM): the node leaves the cluster, which shrinks without losing quorum. */
    public void stop() {
        Process process;
        synchronized (this) {
            process = tether;
        }
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitFor(process, Duration.ofSeconds(60))) {
            process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(20));
        }
    }

    /**
     * Cuts this node off the group ({@code gmcast.isolate=1}) while mariadbd keeps running and answering: it falls out
     * of the primary component, and its queries on tables fail with "WSREP has not yet prepared node for application
     * use", as on a node on the wrong side of a network split. Waits until the node sees itself non-Primary.
     */
    public void isolate() throws SQLException {
        execute("SET GLOBAL wsrep_provider_options='gmcast.isolate=1'");
        synchronized (this) {
            isolated = true;
        }
        await("non-Primary", GaleraCluster.JOIN_TIMEOUT, node -> "non-Primary".equals(node.clusterStatus()));
    }

    /** Ends {@link #isolate()}: the node reconnects, catches up by IST and is Synced again. */
    public void rejoin() throws SQLException {
        execute("SET GLOBAL wsrep_provider_options='gmcast.isolate=0'");
        synchronized (this) {
            isolated = false;
        }
        awaitSynced(GaleraCluster.JOIN_TIMEOUT);
    }

    synchronized boolean isolated() {
        return isolated;
    }

    /** Waits until this node is Synced and in the primary component. */
    public void awaitSynced(Duration timeout) {
        await("Synced in the primary component", timeout,
                node -> "Synced".equals(node.state()) && "Primary".equals(node.clusterStatus()));
    }

    /** Waits until this node sees a cluster of {@code size} nodes. */
    public void awaitClusterSize(int size, Duration timeout) {
        await("a cluster of " + size, timeout, node -> node.clusterSize() == size);
    }

    /** A check that may fail with an SQLException while the node is not reachable yet. */
    @FunctionalInterface
    interface NodeCheck {
        boolean test(GaleraNode node) throws SQLException;
    }

    private void await(String what, Duration timeout, NodeCheck check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (check.test(this)) {
                    return;
                }
                last = null;
            } catch (SQLException notYet) {
                last = notYet;
            }
            if (!running()) {
                throw new IllegalStateException("Galera node " + number + " (port " + port + ") ended while waiting"
                        + " for it to be " + what + "; its error log:\n" + tail(60));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Galera node " + number + " (port " + port + ") was not " + what
                        + " within " + timeout.toSeconds() + " s (state " + describeState() + "); its error log:\n"
                        + tail(60), last);
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Galera node " + number, e);
            }
        }
    }

    private String describeState() {
        try {
            return state() + ", " + clusterStatus() + ", size " + clusterSize();
        } catch (SQLException e) {
            return "unknown: " + e.getMessage();
        }
    }

    /** The last {@code lines} lines of the error log, for failure messages. */
    public String tail(int lines) {
        try {
            if (!Files.exists(errorLog())) {
                return "(no error log)";
            }
            List<String> all = Files.readAllLines(errorLog(), StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(error log unreadable: " + e + ")";
        }
    }

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void awaitExit(Process process, Duration timeout) {
        if (!waitFor(process, timeout)) {
            throw new IllegalStateException("Galera node " + number + " did not end within " + timeout.toSeconds()
                    + " s");
        }
    }

    @Override
    public String toString() {
        return "Galera node " + number + " at " + host() + ":" + port;
    }
}
