package dev.upgradegate.bench.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * A cross-check of the JMH score on a loaded machine: JMH's AverageTime is wall-clock time, which grows
 * whenever other processes take the core away from the benchmark thread. This loop measures the same call
 * on the same gate in thread CPU time (ThreadMXBean), which descheduling does not inflate. Prints one line:
 * {@code cpu-ns-per-call <page> <installStatus>}.
 */
public final class CpuTime {

    private CpuTime() {
    }

    public static void main(String[] args) throws Exception {
        long calls = args.length > 0 ? Long.parseLong(args[0]) : 200_000_000L;
        PassesBenchmark bench = new PassesBenchmark();
        bench.start();
        try {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            // Warm-up: let C2 compile the loop and the call.
            measure(bench, threads, calls / 4, true);
            measure(bench, threads, calls / 4, false);
            double page = measure(bench, threads, calls, true);
            double status = measure(bench, threads, calls, false);
            System.out.println(String.format(Locale.ROOT, "cpu-ns-per-call %.2f %.2f", page, status));
        } finally {
            bench.stop();
        }
        System.exit(0);
    }

    private static double measure(PassesBenchmark bench, ThreadMXBean threads, long calls, boolean page) {
        int passed = 0;
        long start = threads.getCurrentThreadCpuTime();
        for (long i = 0; i < calls; i++) {
            if (page ? bench.passesPage() : bench.passesInstallStatus()) {
                passed++;
            }
        }
        long cpu = threads.getCurrentThreadCpuTime() - start;
        if (passed != (page ? calls : 0)) {
            throw new IllegalStateException("unexpected decisions: " + passed + " of " + calls);
        }
        return (double) cpu / calls;
    }
}
