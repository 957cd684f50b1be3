package dev.upgradegate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One bounded run of wrk against a loopback URL, and what it printed. */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern P99 = Pattern.compile("^\\s*99%\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern SOCKET_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /** Requests per second, the 99th percentile latency in milliseconds, requests, non-2xx/3xx, socket errors. */
    record Result(double rate, double p99Millis, long requests, long non2xx, long socketErrors, String output) {
    }

    private Wrk() {
    }

    /** @param header an extra request header such as {@code Connection: close}, or null */
    static Result run(String url, int connections, int seconds, String header) throws IOException, InterruptedException {
        if (!url.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException("load goes to loopback only: " + url);
        }
        int threads = Math.min(connections, Integer.getInteger("bench.wrk.threads", 1));
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections,
                "-d" + seconds + "s", "--latency", "--timeout", "5s"));
        if (header != null) {
            command.add("-H");
            command.add(header);
        }
        String script = System.getProperty("bench.wrk.script");
        if (script != null) {
            command.add("-s");
            command.add(script);
        }
        command.add(url);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out;
        try {
            out = process.getInputStream().readAllBytes();
            if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("wrk did not end: " + command);
            }
        } finally {
            process.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException("wrk failed (" + process.exitValue() + "): " + command + "\n" + text);
        }
        Matcher rate = RATE.matcher(text);
        Matcher p99 = P99.matcher(text);
        Matcher requests = REQUESTS.matcher(text);
        if (!rate.find() || !p99.find() || !requests.find()) {
            throw new IllegalStateException("cannot read wrk's output:\n" + text);
        }
        double value = Double.parseDouble(p99.group(1));
        double millis = switch (p99.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
        Matcher non2xx = NON_2XX.matcher(text);
        Matcher errors = SOCKET_ERRORS.matcher(text);
        long socketErrors = 0;
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(errors.group(g));
            }
        }
        return new Result(Double.parseDouble(rate.group(1)), millis, Long.parseLong(requests.group(1)),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socketErrors, text);
    }
}
