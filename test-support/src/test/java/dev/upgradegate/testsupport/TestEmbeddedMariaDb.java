package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestEmbeddedMariaDb {

    @Test
    void keepsItsDataAcrossStopStartAgainAndANewServer(@TempDir Path baseDir) throws SQLException {
        EmbeddedMariaDb first = EmbeddedMariaDb.start(0, baseDir);
        try {
            assertEquals("127.0.0.1", first.host());
            first.createDatabase("kept");
            execute(first.jdbcUrl("kept"), "CREATE TABLE note (text VARCHAR(20))");
            execute(first.jdbcUrl("kept"), "INSERT INTO note VALUES ('still here')");

            first.stop();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(first.serverUrl(), "root", ""));

            first.startAgain();
            assertEquals("still here", note(first));
        } finally {
            first.stop();
        }

        EmbeddedMariaDb second = EmbeddedMariaDb.start(0, baseDir);
        try {
            second.createDatabase("kept"); // already there: no error, nothing lost
            assertEquals("still here", note(second));
        } finally {
            second.stop();
        }
    }

    @Test
    void theServerEndsWithAJvmThatExits() throws Exception {
        Child child = Child.start("exit");
        assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "child JVM did not exit");
        // The shutdown hooks wait for the server; the deadline is generous because a loaded machine may be
        // slow to reap it and to delete its directory.
        assertGone(child, Duration.ofSeconds(10));
    }

    @Test
    void theServerEndsWithAJvmThatIsKilled() throws Exception {
        Child child = Child.start("wait");
        child.process.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "child JVM did not die");
        // The tether script polls the JVM once a second.
        assertGone(child, Duration.ofSeconds(10));
    }

    private static void assertGone(Child child, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (child.serverProcesses.stream().anyMatch(ProcessHandle::isAlive) || Files.exists(child.baseDir)) {
            if (System.nanoTime() > deadline) {
                child.serverProcesses.forEach(ProcessHandle::destroyForcibly);
                throw new AssertionError("server processes or " + child.baseDir + " still there after " + within);
            }
            Thread.sleep(50);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "root", "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String note(EmbeddedMariaDb server) throws SQLException {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl("kept"), server.user(), server.password());
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT text FROM note")) {
            assertTrue(row.next());
            return row.getString(1);
        }
    }

    /** A JVM running {@link EmbeddedMariaDbChild}, and the server processes it started. */
    private static final class Child {
        final Process process;
        final List<ProcessHandle> serverProcesses;
        final Path baseDir;

        private Child(Process process, List<ProcessHandle> serverProcesses, Path baseDir) {
            this.process = process;
            this.serverProcesses = serverProcesses;
            this.baseDir = baseDir;
        }

        static Child start(String mode) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    EmbeddedMariaDbChild.class.getName(), mode)
                    .redirectErrorStream(true)
                    .start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.startsWith(EmbeddedMariaDbChild.READY)) {
                System.out.println("child: " + line);
            }
            if (line == null) {
                throw new AssertionError("child JVM ended before its server was ready");
            }
            Path baseDir = Path.of(line.substring(EmbeddedMariaDbChild.READY.length()));
            List<ProcessHandle> serverProcesses = process.toHandle().descendants().collect(Collectors.toList());
            assertFalse(serverProcesses.isEmpty(), "no server process under the child JVM");
            assertTrue(Files.isDirectory(baseDir));
            // Keep draining the child's output so that it never blocks on a full pipe.
            Thread drain = new Thread(() -> output.lines().forEach(l -> { }), "child-output");
            drain.setDaemon(true);
            drain.start();
            return new Child(process, serverProcesses, baseDir);
        }
    }
}
