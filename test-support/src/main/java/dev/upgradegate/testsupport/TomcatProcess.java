package dev.upgradegate.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Tomcat distribution run as its own process with {@code bin/catalina.sh run}: the unpacked
 * distribution is CATALINA_HOME, and a fresh directory is CATALINA_BASE, laid out as a hosting provider
 * would (conf/ copied from the distribution, empty logs/, temp/, work/, webapps/ and lib/).
 */
public final class TomcatProcess implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    /** Environment variables of the caller that would change how catalina.sh starts Tomcat. */
    private static final List<String> CLEARED_ENVIRONMENT = List.of("JRE_HOME", "JAVA_OPTS", "CATALINA_OPTS",
            "CATALINA_PID", "CATALINA_OUT", "CATALINA_TMPDIR", "LOGGING_CONFIG", "LOGGING_MANAGER", "CLASSPATH",
            "JPDA_OPTS", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "UMASK", "USE_NOHUP");

    private final Path home;
    private final Path base;
    private final Path output;
    private final int port;
    private final List<String> jvmOptions = new ArrayList<>();
    private Process process;
    private Thread killOnExit;

    /**
     * @param home the unpacked distribution (CATALINA_HOME)
     * @param base an empty directory to become CATALINA_BASE
     * @param output the file that receives the process's stdout and stderr
     */
    public TomcatProcess(Path home, Path base, Path output) throws IOException {
        if (!Files.isRegularFile(home.resolve("bin/catalina.sh"))) {
            throw new IllegalStateException("not an unpacked Tomcat distribution (no bin/catalina.sh): " + home);
        }
        this.home = home.toAbsolutePath();
        this.base = base.toAbsolutePath();
        this.output = output.toAbsolutePath();
        this.port = freePort();
        makeScriptsExecutable(this.home.resolve("bin"));
        copyTree(this.home.resolve("conf"), this.base.resolve("conf"));
        for (String dir : new String[] {"logs", "temp", "work", "webapps", "lib"}) {
            Files.createDirectories(this.base.resolve(dir));
        }
        Files.createDirectories(this.output.getParent());
    }

    public Path base() {
        return base;
    }

    public int port() {
        return port;
    }

    public Path output() {
        return output;
    }

    /** Copies {@code jar} into CATALINA_BASE/lib, as an administrator installs a library. */
    public void addLibrary(Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no such jar: " + jar.toAbsolutePath());
        }
        Files.copy(jar, base.resolve("lib").resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes {@code text} to CATALINA_BASE/conf/{@code name}. */
    public Path writeConfiguration(String name, String text) throws IOException {
        return Files.writeString(base.resolve("conf").resolve(name), text, StandardCharsets.UTF_8);
    }

    /**
     * Rewrites the distribution's conf/server.xml for a test: comments and the AJP connector out, the
     * shutdown port off, the HTTP connector on {@link #port()} of the loopback interface, the Engine's
     * background processor every second (so that autoDeploy notices a replaced WAR within a second or
     * two instead of ten), and {@code hostLines} added inside {@code <Host>}.
     *
     * @return the new server.xml
     */
    public String configureServer(String... hostLines) throws IOException {
        Path file = base.resolve("conf/server.xml");
        String xml = Files.readString(file, StandardCharsets.UTF_8);
        xml = xml.replaceAll("(?s)<!--.*?-->", "");
        xml = xml.replaceAll("(?s)<Connector\\s[^>]*?protocol=\"AJP/1\\.3\"[^>]*?(/>|>.*?</Connector>)", "");
        xml = replaceOnce(xml, "<Server\\s[^>]*>", server -> withAttribute(server, "port", "-1"));
        xml = replaceOnce(xml, "<Connector\\s[^>]*protocol=\"HTTP/1\\.1\"[^>]*>",
                connector -> withAttribute(withAttribute(connector, "port", Integer.toString(port)), "address",
                        HOST));
        xml = replaceOnce(xml, "<Engine\\s[^>]*>", engine -> withAttribute(engine, "backgroundProcessorDelay", "1"));
        StringBuilder added = new StringBuilder();
        for (String line : hostLines) {
            added.append("  ").append(line).append("\n      ");
        }
        xml = replaceOnce(xml, "</Host>", host -> added + host);
        if (xml.contains("AJP/1.3") || xml.contains("8080") || xml.contains("8005")) {
            throw new IllegalStateException("server.xml still names a default port or AJP:\n" + xml);
        }
        Files.writeString(file, xml, StandardCharsets.UTF_8);
        return xml;
    }

    private static String replaceOnce(String text, String regex, Function<String, String> replacement) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("server.xml has no " + regex + ":\n" + text);
        }
        int start = matcher.start();
        int end = matcher.end();
        if (matcher.find()) {
            throw new IllegalStateException("server.xml has more than one " + regex + ":\n" + text);
        }
        return text.substring(0, start) + replacement.apply(text.substring(start, end)) + text.substring(end);
    }

    /** The start tag {@code tag} with {@code name="value"}, replacing an attribute of that name. */
    private static String withAttribute(String tag, String name, String value) {
        Pattern attribute = Pattern.compile("(\\s)" + Pattern.quote(name) + "=\"[^\"]*\"");
        Matcher matcher = attribute.matcher(tag);
        if (matcher.find()) {
            return tag.substring(0, matcher.start()) + matcher.group(1) + name + "=\"" + value + "\""
                    + tag.substring(matcher.end());
        }
        int close = tag.endsWith("/>") ? tag.length() - 2 : tag.length() - 1;
        return tag.substring(0, close).stripTrailing() + " " + name + "=\"" + value + "\"" + tag.substring(close);
    }

    /**
     * Puts {@code war} into webapps/ as {@code fileName} the way a careful administrator does: copied next
     * to it under a name Tomcat ignores, then moved over the old file in one step, with a fresh mtime so
     * that autoDeploy sees a change.
     */
    public void deploy(Path war, String fileName) throws IOException {
        Path webapps = base.resolve("webapps");
        Path staging = webapps.resolve(fileName + ".uploading");
        Files.copy(war, staging, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(staging, FileTime.fromMillis(System.currentTimeMillis()));
        Files.move(staging, webapps.resolve(fileName), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** Adds an option to this Tomcat's JVM, such as {@code -javaagent:…}; before {@link #start}. */
    public void addJvmOption(String option) {
        jvmOptions.add(option);
    }

    /**
     * Starts {@code bin/catalina.sh run} with CATALINA_OPTS carrying {@code systemProperties} and waits,
     * at most {@code timeout}, until the HTTP port accepts connections.
     */
    public void start(Map<String, String> systemProperties, Duration timeout) throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("already started");
        }
        // Benchmarks size the heap themselves; tests keep Tomcat small.
        StringBuilder options = new StringBuilder(System.getProperty("upgradegate.tomcat.opts", "-Xmx512m"));
        for (String option : jvmOptions) {
            options.append(' ').append(shellQuote(option));
        }
        for (Map.Entry<String, String> property : systemProperties.entrySet()) {
            // catalina.sh evals CATALINA_OPTS: quote each word for the shell (JDBC URLs hold '&' and '?').
            options.append(' ').append(shellQuote("-D" + property.getKey() + "=" + property.getValue()));
        }
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/catalina.sh").toString(), "run")
                .directory(base.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
        Map<String, String> environment = builder.environment();
        CLEARED_ENVIRONMENT.forEach(environment::remove);
        environment.put("CATALINA_HOME", home.toString());
        environment.put("CATALINA_BASE", base.toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("CATALINA_OPTS", options.toString());
        process = builder.start();
        killOnExit = new Thread(this::kill, "kill-tomcat-" + port);
        Runtime.getRuntime().addShutdownHook(killOnExit);
        awaitPort(timeout);
    }

    private void awaitPort(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("Tomcat exited with " + process.exitValue() + " before its port " + port
                        + " answered; its output (" + output + "):\n" + tail(80));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 500);
                return;
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Tomcat's port " + port + " did not answer within " + timeout.toSeconds()
                        + " s; its output (" + output + "):\n" + tail(80));
            }
            Thread.sleep(100);
        }
    }

    /** The process's output so far. */
    public String outputText() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last {@code lines} lines of the output, for failure messages. */
    public String tail(int lines) {
        List<String> all = outputText().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Every file under CATALINA_BASE/logs, by name, with its content. */
    public Map<Path, String> logFiles() throws IOException {
        Map<Path, String> files = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(base.resolve("logs"))) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                files.put(path, Files.readString(path, StandardCharsets.ISO_8859_1));
            }
        }
        return files;
    }

    /**
     * CPU time (user + system) the Tomcat JVM has used so far: {@code catalina.sh run} execs java, so the
     * started process is the JVM itself. Benchmarks compare it per request, which the scheduling of other
     * processes on the same cores cannot inflate the way it can inflate a throughput figure.
     */
    public Duration cpuTime() {
        return process.toHandle().info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("the OS does not report Tomcat's CPU time"));
    }

    /** The Tomcat JVM's process id (see {@link #cpuTime()}). */
    public long pid() {
        return process.pid();
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    /**
     * Stops Tomcat as a service manager would: SIGTERM to the process and its descendants (Tomcat's
     * shutdown hook stops the server cleanly), then, if it has not ended within {@code grace}, SIGKILL.
     * Waits until every process of the tree has ended.
     *
     * @return whether Tomcat ended on SIGTERM within {@code grace}
     */
    public boolean stop(Duration grace) throws InterruptedException {
        if (process == null) {
            return true;
        }
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroy);
        boolean clean = awaitExit(tree, grace);
        if (!clean) {
            tree.forEach(ProcessHandle::destroyForcibly);
            if (!awaitExit(tree, Duration.ofSeconds(10))) {
                throw new IllegalStateException("Tomcat (pid " + process.pid() + ") did not end even on SIGKILL");
            }
        }
        if (killOnExit != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway, and finds nothing left to kill
            }
            killOnExit = null;
        }
        return clean;
    }

    /** The Tomcat process and all its descendants, taken before any ends (orphans lose their parent). */
    private List<ProcessHandle> tree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.toHandle().descendants().forEach(tree::add);
        return tree;
    }

    private static boolean awaitExit(List<ProcessHandle> tree, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle handle : tree) {
            long left = deadline - System.nanoTime();
            try {
                handle.onExit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return false;
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    /**
     * SIGKILL to Tomcat and its descendants, as the OOM killer or a power cut would: no shutdown hook, no
     * cleanup. Waits until every process of the tree has ended; {@link #start} may then start it again on the
     * same CATALINA_BASE, as a service manager restarts it.
     */
    public void killHard() throws InterruptedException {
        List<ProcessHandle> tree = tree();
        tree.forEach(ProcessHandle::destroyForcibly);
        if (!awaitExit(tree, Duration.ofSeconds(10))) {
            throw new IllegalStateException("Tomcat (pid " + process.pid() + ") did not end on SIGKILL");
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway, and finds nothing left to kill
        }
        killOnExit = null;
        process = null;
    }

    private void kill() {
        if (process != null) {
            List<ProcessHandle> tree = tree();
            tree.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
        }
    }

    /** Copies CATALINA_BASE's conf/ and logs/ to {@code target}, for a look after the test. */
    public void keepFiles(Path target) throws IOException {
        for (String dir : new String[] {"conf", "logs"}) {
            Path from = base.resolve(dir);
            if (Files.isDirectory(from)) {
                copyTree(from, target.resolve(dir));
            }
        }
    }

    public static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }

    /** Unpacking may drop the execute bits; catalina.sh and the scripts it calls need them. */
    private static void makeScriptsExecutable(Path bin) throws IOException {
        try (Stream<Path> scripts = Files.list(bin)) {
            for (Path script : scripts.filter(p -> p.toString().endsWith(".sh")).toList()) {
                Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(script));
                if (permissions.add(PosixFilePermission.OWNER_EXECUTE)) {
                    Files.setPosixFilePermissions(script, permissions);
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
