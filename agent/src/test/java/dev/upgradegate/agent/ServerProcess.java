package dev.upgradegate.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real server distribution run as its own process, as an operator would start it. Every wait is bounded,
 * and {@link #close()} ends the process and anything it started.
 */
final class ServerProcess implements AutoCloseable {

    static final String JAVA_HOME = System.getProperty("java.home");

    private final Process process;
    private final Path output;
    final int port;

    private ServerProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ServerProcess start(List<String> command, Path workDir, Map<String, String> environment, Path output,
                               int port) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        for (String cleared : List.of("JRE_HOME", "JAVA_OPTS", "CATALINA_OPTS", "CATALINA_PID", "CATALINA_OUT",
                "CLASSPATH", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JETTY_HOME", "JETTY_BASE")) {
            env.remove(cleared);
        }
        env.put("JAVA_HOME", JAVA_HOME);
        env.putAll(environment);
        ServerProcess server = new ServerProcess(builder.start(), output, port);
        server.awaitPort(Duration.ofSeconds(90));
        return server;
    }

    /** Tomcat from its distribution (CATALINA_HOME) with a separate CATALINA_BASE, in the foreground. */
    static ServerProcess tomcat(Path home, Path base, String catalinaOpts, int port) throws IOException {
        return start(List.of("sh", home.resolve("bin/catalina.sh").toString(), "run"), base,
                Map.of("CATALINA_HOME", home.toString(), "CATALINA_BASE", base.toString(),
                        "CATALINA_OPTS", catalinaOpts),
                base.resolve("logs/console.log"), port);
    }

    /** A CATALINA_BASE beside the distribution: its conf/, an HTTP port of its own, no shutdown port. */
    static Path tomcatBase(Path home, Path base, int port) throws IOException {
        for (String dir : List.of("conf", "logs", "temp", "work", "webapps", "lib")) {
            Files.createDirectories(base.resolve(dir));
        }
        try (Stream<Path> files = Files.list(home.resolve("conf"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, base.resolve("conf").resolve(file.getFileName()));
                }
            }
        }
        Path serverXml = base.resolve("conf/server.xml");
        Files.writeString(serverXml, Files.readString(serverXml)
                .replace("port=\"8005\"", "port=\"-1\"")
                .replace("port=\"8080\"", "port=\"" + port + "\" address=\"127.0.0.1\""));
        return base;
    }

    long pid() {
        return process.pid();
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private void awaitPort(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the server exited with " + process.exitValue() + ":\n" + output());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        close();
        throw new AssertionError("the server did not open port " + port + " within " + timeout + ":\n" + output());
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        process.descendants().forEach(all::add);
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception stillAlive) {
                handle.destroyForcibly();
            }
        }
    }

    /** Runs a short command, such as the CLI, to its end (at most {@code seconds}); its exit code and output. */
    static Result run(List<String> command, int seconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("upgradegate-run-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " did not end within " + seconds + " s:\n" + Files.readString(out));
            }
            return new Result(process.exitValue(), Files.readString(out));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
        }
    }

    static final class Result {
        final int exit;
        final String output;

        Result(int exit, String output) {
            this.exit = exit;
            this.output = output;
        }

        @Override
        public String toString() {
            return "exit " + exit + ":\n" + output;
        }
    }
}
