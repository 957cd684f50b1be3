package dev.upgradegate.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a JVM's threads by kind, read from Linux's {@code /proc/<pid>/task/<tid>/stat}. A
 * throughput ratio says that A is slower; this says whether A's request threads work harder or its JIT
 * compiler and GC threads are still busy, which is the question a pass-through gap raises. For work the harness
 * runs itself (an upgrade, a changelog's parse), {@link #currentThreadNanos} is the calling thread's own.
 */
final class ThreadCpu {

    /** Kinds of threads, told apart by the name Linux keeps (15 characters at most). */
    enum Kind {
        CONNECTOR("the connector's threads (http-nio-*: request workers, poller, acceptor)"),
        JIT("JIT compiler threads"),
        GC("GC and VM threads"),
        OTHER("every other thread");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        static Kind of(String name) {
            if (name.startsWith("http-")) {
                return CONNECTOR;
            }
            if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
                return JIT;
            }
            if (name.startsWith("GC ") || name.startsWith("G1 ") || name.startsWith("VM ")) {
                return GC;
            }
            return OTHER;
        }
    }

    /** Clock ticks per second of utime/stime; 100 on every Linux this runs on (USER_HZ). */
    private static final double TICKS_PER_SECOND = 100;

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ThreadCpu() {
    }

    /**
     * The calling thread's CPU time so far, in ns (the JVM's count, not /proc's 10 ms ticks): beside a wall time,
     * what waiting for a core on a busy machine cannot inflate.
     */
    static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /** Seconds of CPU per kind so far, or an empty map where there is no /proc. */
    static Map<Kind, Double> of(long pid) {
        Map<Kind, Double> seconds = new EnumMap<>(Kind.class);
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        if (!Files.isDirectory(tasks)) {
            return seconds;
        }
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(thread -> {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"), StandardCharsets.US_ASCII);
                } catch (IOException ended) {
                    return;
                }
                // "tid (name) state ppid ..." where the name itself may hold spaces and parentheses.
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String[] fields = stat.substring(close + 2).split(" ");
                // fields[0] is field 3 (state): utime is field 14, stime field 15.
                double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
                seconds.merge(Kind.of(stat.substring(open + 1, close)), cpu, Double::sum);
            });
        } catch (IOException gone) {
            return seconds;
        }
        return seconds;
    }

    /** after − before per kind. */
    static Map<Kind, Double> between(Map<Kind, Double> before, Map<Kind, Double> after) {
        Map<Kind, Double> used = new EnumMap<>(Kind.class);
        after.forEach((kind, seconds) -> used.put(kind, seconds - before.getOrDefault(kind, 0.0)));
        return used;
    }
}
