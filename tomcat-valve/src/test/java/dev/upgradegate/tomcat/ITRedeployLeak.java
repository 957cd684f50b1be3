package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.catalina.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.Http;
import dev.upgradegate.testsupport.TestBundle;
import dev.upgradegate.testsupport.TestDatabase;

/**
 * Guarantee 9: a gated webapp redeployed 200 times pins none of its old class loaders, and UpgradeGate's
 * threads neither pile up nor outlive Tomcat.
 */
@Timeout(value = 900, unit = TimeUnit.SECONDS)
class ITRedeployLeak {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "leak-install-token-0123456789";
    static final int REDEPLOYS = 200;
    static final String JARS_TO_SKIP = "tomcat.util.scan.StandardJarScanFilter.jarsToSkip";

    @TempDir
    Path base;

    @Test
    void twoHundredRedeploysPinNoClassLoaderAndLeaveNoThread() throws Exception {
        Path config = Files.writeString(base.resolve("upgradegate.properties"), String.join("\n",
                "install.token=" + TOKEN, "refresh.seconds=1", "app.app.datasource=jdbc/ShopDB", ""));
        String bundle = new TestBundle("1.0.0").sql("t", "CREATE TABLE t (id INT PRIMARY KEY)").tag("1.0.0")
                .directory(base.resolve("app")).toString();
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        // Scanning every jar of the test class path for TLDs and fragments costs seconds per deploy; the
        // bundle needs neither, and 200 deploys must fit the suite's time.
        String skip = System.setProperty(JARS_TO_SKIP, "*");
        try (LogCapture log = new LogCapture()) {
            EmbeddedTomcat tomcat = new EmbeddedTomcat(base, config, DB);
            try {
                Http http = tomcat.http;
                for (int i = 0; i < REDEPLOYS; i++) {
                    Context context = tomcat.deploy("/app", bundle, DB.jdbcUrl());
                    loaders.add(new WeakReference<>(context.getLoader().getClassLoader()));
                    context = null;
                    if (i == 0) {
                        http.await("/app/install/status", 30, Http.state("NOT_INSTALLED"));
                        assertEquals(202, http.upgrade("/app", TOKEN).statusCode());
                        http.await("/app/install/status", 60, Http.state("UP"));
                    }
                    assertEquals(200, http.get("/app/index.html").statusCode());
                    if (i % 25 == 0) {
                        // Old enough for a background refresh, which runs on a pooled thread of the valve.
                        Thread.sleep(1100);
                        http.get("/app/index.html");
                        http.await("/app/install/status", 10, Http.state("UP"));
                    }
                    tomcat.undeploy("/app");
                }
                List<String> pinned = awaitCollected(loaders, 60);
                assertEquals(List.of(), pinned, "old webapp class loaders still reachable after " + REDEPLOYS
                        + " redeploys");
                awaitOurThreadsIdle(30);
                assertTrue(ourThreads().size() <= 8, "threads pile up: " + ourThreads().keySet());
            } finally {
                tomcat.close();
            }
            awaitNoThreadsOfOurs(15);
            // Tomcat's own utility threads are created lazily under whichever webapp happens to be starting, and
            // a request thread that has just answered the test's last request may not have left the webapp yet
            // when the undeploy looks at it: both reports are about Tomcat's threads and the test's timing, not
            // about anything the webapp or the gate did. The collected class loaders above are the real proof.
            List<String> leaks = log.lines().stream()
                    .filter(line -> line.contains("memory leak") && !line.contains("--add-opens")
                            && !line.contains("[Catalina-utility-") && !line.contains("is still processing a request"))
                    .toList();
            assertEquals(List.of(), leaks, "Tomcat's own leak detection on undeploy");
        } finally {
            if (skip == null) {
                System.clearProperty(JARS_TO_SKIP);
            } else {
                System.setProperty(JARS_TO_SKIP, skip);
            }
        }
    }

    /** Waits, running the collector, until every loader is gone; returns the ones still reachable. */
    static List<String> awaitCollected(List<WeakReference<ClassLoader>> loaders, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            System.gc();
            List<String> alive = new ArrayList<>();
            for (int i = 0; i < loaders.size(); i++) {
                if (loaders.get(i).get() != null) {
                    alive.add("deploy " + (i + 1));
                }
            }
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            Thread.sleep(200);
        }
    }

    static Map<Thread, StackTraceElement[]> ourThreads() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(entry -> entry.getKey().getName().startsWith("upgradegate-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * After the last undeploy no thread of ours may still work for a webapp or hold a webapp's class loader;
     * idle pool threads of the still running valve may wait for work (they end after 30 s idle).
     */
    static void awaitOurThreadsIdle(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            List<String> busy = new ArrayList<>();
            for (Map.Entry<Thread, StackTraceElement[]> thread : ourThreads().entrySet()) {
                boolean idle = false;
                for (StackTraceElement frame : thread.getValue()) {
                    idle |= frame.getMethodName().equals("getTask");
                }
                ClassLoader context = thread.getKey().getContextClassLoader();
                if (!idle || context != null && context.getClass().getName().contains("WebappClassLoader")) {
                    busy.add(thread.getKey().getName() + " " + List.of(thread.getValue()).subList(0,
                            Math.min(8, thread.getValue().length)));
                }
            }
            if (busy.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("threads of ours still busy after undeploy: " + busy);
            }
            Thread.sleep(200);
        }
    }

    static void awaitNoThreadsOfOurs(int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ourThreads().isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("threads of ours left after Tomcat stopped: " + ourThreads().keySet());
            }
            Thread.sleep(100);
        }
    }
}
