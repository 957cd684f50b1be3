package dev.upgradegate.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.apache.catalina.Container;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.JarScanner;
import org.apache.tomcat.util.scan.StandardJarScanner;

import dev.upgradegate.gate.config.Setting;
import dev.upgradegate.testsupport.EmbeddedMariaDb;
import dev.upgradegate.tomcat.UpgradeGateValve;

/**
 * The UpgradeGate demo: the legacy shop at bundle version 2.0.0 in embedded Tomcat 11, behind the UpgradeGateValve,
 * on a database seeded at schema 1.0.0. The shop shows the maintenance page until the upgrade is started through
 * the install endpoint; then it comes up at 2.0.0.
 *
 * <p>{@code java -jar upgradegate-demo.jar [--port N] [--jdbc-url URL [--user U] [--password P]] [--verbose]}, or
 * {@link #start(Options)} to run it in-process (and {@link #close()} to stop it).
 */
public final class Demo implements AutoCloseable {

    static final String CONTEXT_PATH = "/shop";
    /** The shop WAR that runs, and the one whose changelog seeds the database: resources of this jar. */
    static final String SHOP_WAR = "demo/shop-2.0.0.war";
    static final String SEED_WAR = "demo/shop-1.0.0.war";
    static final String CONFIG_FILE = "upgradegate.properties";

    private static final String LIQUIBASE_SUMMARY_OUTPUT = "liquibase.command.showSummaryOutput";
    private static final Logger LOG = Logger.getLogger(Demo.class.getName());
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z_]+)\"");

    private final Options options;
    private final PrintStream out;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Map<String, String> previousProperties = new HashMap<>();

    private volatile Path workDir;
    private volatile Database database;
    private volatile Tomcat tomcat;
    private volatile boolean ready;
    private boolean closing;

    private int port;
    private String token;
    private String schema;
    private String state;

    Demo(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Starts the demo, printing its progress on standard output. */
    public static Demo start(Options options) {
        return start(options, System.out);
    }

    /**
     * Starts the embedded MariaDB (or connects to {@link Options#jdbcUrl()}), seeds the shop's schema at 1.0.0 and
     * starts Tomcat with the gated shop 2.0.0. Everything started is stopped again if a step fails.
     *
     * @throws DemoException with a message for the user when the demo cannot start
     */
    public static Demo start(Options options, PrintStream out) {
        Demo demo = new Demo(options, out);
        demo.startAll();
        return demo;
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        // After Ctrl-C the JVM is already exiting; System.exit would wait for the shutdown hooks forever.
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs the demo until the JVM is stopped; returns early with a non-zero status when it cannot start. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (Options.UsageException e) {
            err.println("Error: " + e.getMessage());
            err.println();
            err.println(Options.usage());
            return 2;
        }
        if (options.help()) {
            out.println(Options.usage());
            return 0;
        }
        if (options.clean()) {
            Path binaries = EmbeddedMariaDb.binariesDir();
            out.println(EmbeddedMariaDb.removeBinaries() ? "Removed the embedded MariaDB's unpacked server: " + binaries
                    : "Nothing to remove: " + binaries + " does not exist.");
            return 0;
        }
        ConsoleLogging.configure(options.verbose());
        Demo demo = new Demo(options, out);
        Thread hook = new Thread(demo::close, "upgradegate-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            demo.startAll();
        } catch (RuntimeException | Error e) {
            if (e instanceof DemoException) {
                err.println("Error: " + e.getMessage());
            } else {
                err.println("Error: the demo failed unexpectedly: " + Failures.describe(e));
            }
            if (options.verbose()) {
                e.printStackTrace(err);
            } else if (!(e instanceof DemoException)) {
                err.println("Run it again with --verbose to see the stack trace.");
            }
            removeHook(hook);
            return 1;
        }
        demo.printReady(ManagementFactory.getRuntimeMXBean().getUptime());
        demo.awaitStop();
        return 0;
    }

    void startAll() {
        // Liquibase prints an update summary on standard output; into the log with it (the seed's and the upgrade's).
        if (System.getProperty(LIQUIBASE_SUMMARY_OUTPUT) == null) {
            System.setProperty(LIQUIBASE_SUMMARY_OUTPUT, "log");
        }
        try {
            if (options.port() != 0) {
                requirePortFree(options.port());
            }
            workDir = Files.createTempDirectory("upgradegate-demo-");
            if (options.jdbcUrl() == null) {
                out.println("Starting an embedded MariaDB server...");
                database = Database.embedded();
            } else {
                database = Database.external(options.jdbcUrl(), options.user(), options.password(), out);
            }
            out.println("Preparing the shop's schema...");
            try (URLClassLoader release1 = release1Changelog()) {
                schema = database.seed(release1);
            }
            out.println("Starting Tomcat 11 with the UpgradeGate valve and the shop 2.0.0...");
            startTomcat();
            token = readToken();
            state = currentState();
            ready = true;
        } catch (IOException e) {
            close();
            throw new DemoException("Could not prepare the demo's files in " + workDir + ": " + Failures.describe(e), e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void startTomcat() throws IOException {
        Path base = Files.createDirectories(workDir.resolve("tomcat"));
        Files.createDirectories(base.resolve("webapps"));
        Path config = workDir.resolve(CONFIG_FILE);
        // No install.token: the gate generates one and writes it beside this file.
        Files.writeString(config, String.join(System.lineSeparator(),
                "# UpgradeGate configuration written by the demo.",
                "app.shop.datasource=jdbc/ShopDB",
                "refresh.seconds=2",
                ""));
        Path war = copyResource(SHOP_WAR, workDir.resolve("shop-2.0.0.war"));

        // The shop's META-INF/context.xml takes its database from these.
        setShopProperty("shop.db.url", database.url());
        setShopProperty("shop.db.driver", database.driverClass());
        setShopProperty("shop.db.user", database.user());
        setShopProperty("shop.db.password", database.password());

        Tomcat server = new Tomcat();
        // Tomcat's start-up notes at INFO, unless --verbose.
        server.setSilent(!options.verbose());
        server.setBaseDir(base.toString());
        server.setPort(options.port());
        server.getConnector();
        server.enableNaming();
        server.getHost().setAutoDeploy(false);
        UpgradeGateValve valve = new UpgradeGateValve();
        valve.setConfigFile(config.toString());
        server.getHost().getPipeline().addValve(valve);
        Context shop = server.addWebapp(CONTEXT_PATH, war.toString());
        shop.addLifecycleListener(Demo::withoutJsp);
        JarScanner scanner = shop.getJarScanner();
        if (scanner instanceof StandardJarScanner) {
            // The shop needs nothing from the class path, and this jar is large: skip scanning it for TLDs.
            ((StandardJarScanner) scanner).setScanClassPath(false);
        }
        tomcat = server;
        try {
            server.start();
        } catch (LifecycleException e) {
            if (Failures.find(e, BindException.class) != null) {
                throw portInUse(options.port());
            }
            throw new DemoException("Tomcat did not start: " + Failures.describe(e), e);
        }
        if (server.getConnector().getState() != LifecycleState.STARTED) {
            throw portInUse(options.port());
        }
        if (shop.getState() != LifecycleState.STARTED) {
            throw new DemoException("The shop webapp did not start in Tomcat"
                    + (options.verbose() ? "; see the log above." : "; run again with --verbose to see Tomcat's log."));
        }
        port = server.getConnector().getLocalPort();
    }

    /**
     * Tomcat's default web.xml adds the JSP servlet; without Jasper (not in this jar, and the shop has no JSP) it fails
     * to load at start with a stack trace in the log. Removed once the webapp's configuration has been read.
     */
    private static void withoutJsp(LifecycleEvent event) {
        if (!Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
            return;
        }
        Context context = (Context) event.getLifecycle();
        Container jsp = context.findChild("jsp");
        if (jsp == null || Demo.class.getClassLoader().getResource("org/apache/jasper/servlet/JspServlet.class") != null) {
            return;
        }
        for (String pattern : context.findServletMappings()) {
            if ("jsp".equals(context.findServletMapping(pattern))) {
                context.removeServletMapping(pattern);
            }
        }
        context.removeChild(jsp);
    }

    private void setShopProperty(String name, String value) {
        previousProperties.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    private String readToken() throws IOException {
        Path file = workDir.resolve(Setting.INSTALL_TOKEN_FILE.defaultValue());
        if (!Files.isRegularFile(file)) {
            throw new DemoException("UpgradeGate wrote no install token to " + file
                    + (options.verbose() ? "; see the log above." : "; run again with --verbose to see why."));
        }
        return Files.readString(file).strip();
    }

    /** Asks the install endpoint, as a browser would; this also makes the gate read the schema once. */
    private String currentState() {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(statusUrl()))
                .timeout(Duration.ofSeconds(30)).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher matcher = STATE.matcher(response.body());
            return matcher.find() ? matcher.group(1) : "HTTP " + response.statusCode();
        } catch (IOException e) {
            throw new DemoException("Tomcat started, but " + statusUrl() + " does not answer: " + Failures.describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoException("Interrupted while asking " + statusUrl(), e);
        }
    }

    /** A class loader over shop 1.0.0's WEB-INF/classes/db: its Liquibase changelog, as the webapp would see it. */
    private URLClassLoader release1Changelog() throws IOException {
        Path war = copyResource(SEED_WAR, workDir.resolve("shop-1.0.0.war"));
        Path classes = workDir.resolve("shop-1.0.0-classes");
        String prefix = "WEB-INF/classes/";
        try (ZipFile zip = new ZipFile(war.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                if (entry.isDirectory() || !entry.getName().startsWith(prefix + "db/")) {
                    continue;
                }
                Path target = classes.resolve(entry.getName().substring(prefix.length())).normalize();
                if (!target.startsWith(classes)) {
                    throw new IOException("unexpected entry in " + SEED_WAR + ": " + entry.getName());
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target);
                }
            }
        }
        Files.delete(war);
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, null);
    }

    private static Path copyResource(String name, Path target) throws IOException {
        try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new DemoException("This build lacks the resource " + name + "; rebuild it with mvn package.");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    private static void requirePortFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
        } catch (BindException e) {
            throw portInUse(port);
        } catch (IOException e) {
            throw new DemoException("Cannot listen on port " + port + ": " + Failures.describe(e)
                    + System.lineSeparator() + "Choose another port with --port N.", e);
        }
    }

    private static DemoException portInUse(int port) {
        return new DemoException("Port " + port + " is already in use. Stop what listens there, or choose another"
                + " port with --port N, e.g. --port " + (port == 18080 ? 18081 : 18080) + ".");
    }

    /** Prints where to go and what to run, each on its own line to copy. */
    void printReady(long millisSinceStart) {
        String line = System.lineSeparator();
        StringBuilder text = new StringBuilder()
                .append(line)
                .append(String.format("UpgradeGate demo ready in %.1f s.", millisSinceStart / 1000.0)).append(line)
                .append("Database: ").append(database.description()).append(", ").append(schema).append(line)
                .append("Webapp:   shop 2.0.0 at ").append(CONTEXT_PATH).append(", gated by UpgradeGate: state ")
                .append(state).append(line)
                .append(line)
                .append("App URL").append(appUrlNote()).append(':').append(line)
                .append(appUrl()).append(line)
                .append(line)
                .append("Install URL:").append(line)
                .append(installUrl()).append(line)
                .append(line)
                .append("Install token:").append(line)
                .append(token).append(line)
                .append(line)
                .append("Start the upgrade (answers 202; the shop is up at 2.0.0 a few seconds later):").append(line)
                .append(upgradeCommand()).append(line)
                .append(line)
                .append("Follow it (with the token the status shows versions and progress):").append(line)
                .append(statusCommand()).append(line)
                .append(line)
                .append(filesNote(line))
                .append("Press Ctrl-C to stop.").append(line);
        out.print(text);
        out.flush();
    }

    /** Where the demo keeps what it makes, and what outlives it. */
    private String filesNote(String line) {
        StringBuilder note = new StringBuilder("Files (all removed when the demo stops):").append(line)
                .append("  Tomcat, configuration, install token: ").append(workDir).append(line)
                .append("  backups made in the wizard:           ")
                .append(workDir.resolve("tomcat").resolve(Setting.BACKUP_DIR.defaultValue()).resolve("shop"))
                .append(line);
        Path data = database.dataDir();
        if (data != null) {
            note.append("  MariaDB's data:                       ").append(data).append(line)
                    .append("The MariaDB server itself stays unpacked in ").append(EmbeddedMariaDb.binariesDir())
                    .append(" (about 365 MB), so that the next start is quick; --clean removes it.").append(line);
        }
        return note.append(line).toString();
    }

    private String appUrlNote() {
        switch (state) {
            case "UPGRADE_REQUIRED":
                return " (the maintenance page until the upgrade has run)";
            case "UP":
                return " (up: this database is at the shop's version already)";
            default:
                return " (the maintenance page: state " + state + ")";
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://localhost:8080/shop/} */
    public String appUrl() {
        return "http://localhost:" + port + CONTEXT_PATH + "/";
    }

    /** {@code http://localhost:8080/shop/install/} */
    public String installUrl() {
        return appUrl() + "install/";
    }

    public String statusUrl() {
        return installUrl() + "status";
    }

    public String upgradeUrl() {
        return installUrl() + "upgrade";
    }

    /** The install token the gate generated and wrote beside its configuration file. */
    public String token() {
        return token;
    }

    public String upgradeCommand() {
        return "curl -X POST -H \"Authorization: Bearer " + token + "\" " + upgradeUrl();
    }

    public String statusCommand() {
        return "curl -H \"Authorization: Bearer " + token + "\" " + statusUrl();
    }

    /** The gate's state for the shop when the demo became ready, e.g. UPGRADE_REQUIRED. */
    public String initialState() {
        return state;
    }

    /** Waits until {@link #close()} has run. */
    public void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops Tomcat, then the embedded MariaDB, and deletes the demo's temporary files. Safe to call twice. */
    @Override
    public void close() {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            if (ready) {
                out.println("Stopping Tomcat" + (options.jdbcUrl() == null ? " and MariaDB" : "") + "...");
            }
            Tomcat server = tomcat;
            if (server != null) {
                try {
                    server.stop();
                    server.destroy();
                } catch (LifecycleException | RuntimeException e) {
                    LOG.log(Level.WARNING, "Tomcat did not stop cleanly", e);
                }
            }
            Database db = database;
            if (db != null) {
                try {
                    db.close();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "The embedded MariaDB server did not stop cleanly", e);
                }
            }
            previousProperties.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
            deleteRecursively(workDir);
            if (ready) {
                out.println("Stopped.");
                out.flush();
            }
        } finally {
            stopped.countDown();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway; close() does nothing twice.
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // Best effort: it lies in java.io.tmpdir.
        }
    }
}
