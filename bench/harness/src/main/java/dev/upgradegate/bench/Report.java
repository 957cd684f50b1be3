package dev.upgradegate.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the Markdown table: the rows {@link Bench} wrote, the JMH result (benchmark 4) and the agent
 * startup rows of bench/agent-startup.sh (benchmark 6), if any, each in its place by number.
 *
 * <p>Usage: {@code Report results.tsv [--jmh jmh.json] [--agent agent-rows.md]}
 */
public final class Report {

    private static final Pattern PRIMARY = Pattern.compile(
            "\"primaryMetric\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*\"?([-0-9.eE+NaN]+)\"?\\s*,\\s*\"scoreError\"\\s*:\\s*\"?([-0-9.eE+NaN]+)\"?");
    private static final Pattern ALLOC = Pattern.compile(
            "\"gc\\.alloc\\.rate\\.norm\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*\"?([-0-9.eE+NaN]+)\"?");
    private static final Pattern BENCHMARK = Pattern.compile("\"benchmark\"\\s*:\\s*\"([^\"]+)\"");

    private Report() {
    }

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args[0]);
        Path jmh = null;
        Path agent = null;
        Path cpu = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--jmh" -> jmh = Path.of(args[++i]);
                case "--agent" -> agent = Path.of(args[++i]);
                case "--cpu" -> cpu = Path.of(args[++i]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        List<String[]> rows = new ArrayList<>();
        if (Files.exists(results)) {
            for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    rows.add(line.split("\t", -1));
                }
            }
        }
        // Benchmark 4 goes between 3 and 5.
        int at = 0;
        while (at < rows.size() && rows.get(at)[0].compareTo("4") < 0) {
            at++;
        }
        List<String[]> hotPath = jmhRows(jmh);
        if (cpu != null && Files.exists(cpu)) {
            String[] words = Files.readString(cpu, StandardCharsets.UTF_8).trim().split("\\s+");
            if (words.length == 3) {
                String name = "4. Hot path: JMH `WebappGate.passes` in state UP";
                for (int w = 1; w <= 2; w++) {
                    double ns = Double.parseDouble(words[w]);
                    hotPath.add(new String[] {name, "`" + (w == 1 ? "passesPage" : "passesInstallStatus")
                            + "`: thread CPU ns/call (cross-check, immune to descheduling)", words[w], "", "",
                            "< 50 ns", ns < 50 ? "met" : "MISSED"});
                }
            }
        }
        rows.addAll(at, hotPath);

        StringBuilder out = new StringBuilder();
        out.append("| Benchmark | Measure | UpgradeGate | Baseline | Ratio | Goal | Result |\n");
        out.append("|---|---|--:|--:|--:|---|---|\n");
        List<String> agentLines = new ArrayList<>();
        if (agent != null && Files.exists(agent)) {
            agentLines.addAll(agentRows(Files.readAllLines(agent, StandardCharsets.UTF_8)));
        } else {
            agentLines.add("| 6. Agent startup | bench/agent-startup.sh | | | | | pending: the script does not exist yet |");
        }
        boolean agentDone = false;
        String previous = null;
        for (String[] row : rows) {
            // Benchmark 6 (the agent's rows) goes before 7 and later.
            if (!agentDone && number(row[0]) > 6) {
                agentLines.forEach(line -> out.append(line).append('\n'));
                agentDone = true;
            }
            String name = row[0].equals(previous) ? "" : row[0];
            previous = row[0];
            out.append("| ").append(name);
            for (int c = 1; c < 7; c++) {
                out.append(" | ").append(c < row.length ? row[c] : "");
            }
            out.append(" |\n");
        }
        if (!agentDone) {
            agentLines.forEach(line -> out.append(line).append('\n'));
        }
        System.out.print(out);
    }

    /** A row's benchmark number, "7" of "7. Refresh: …"; 0 where it has none. */
    static int number(String benchmark) {
        int dot = benchmark.indexOf('.');
        try {
            return dot > 0 ? Integer.parseInt(benchmark.substring(0, dot).trim()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static List<String[]> jmhRows(Path json) throws Exception {
        List<String[]> rows = new ArrayList<>();
        String passes = "4. Hot path: JMH `WebappGate.passes` in state UP";
        if (json == null || !Files.exists(json)) {
            rows.add(new String[] {passes, "ns/op", "-", "", "", "< 50 ns", "not run"});
            return rows;
        }
        String text = Files.readString(json, StandardCharsets.UTF_8);
        Matcher benchmark = BENCHMARK.matcher(text);
        Matcher primary = PRIMARY.matcher(text);
        Matcher alloc = ALLOC.matcher(text);
        int start = 0;
        while (benchmark.find(start)) {
            String method = benchmark.group(1).replaceAll(".*\\.", "");
            // The agent's servlet path around the same decision: allocation-free is its goal; its time has none
            // of its own, and the fallback's mark allocates in the container's attribute map (containerMark).
            boolean agent = benchmark.group(1).contains(".AgentServletBenchmark.");
            boolean containers = agent && !method.equals("dispatch");
            String name = agent ? "4. Hot path: JMH the agent's servlet path (`ServletGates`) in state UP" : passes;
            int from = benchmark.end();
            start = from;
            if (!primary.find(from)) {
                break;
            }
            double ns = Double.parseDouble(primary.group(1));
            String error = primary.group(2).equals("NaN") ? ""
                    : String.format(Locale.ROOT, " ± %.2f", Double.parseDouble(primary.group(2)));
            rows.add(new String[] {name, "`" + method + "`: ns/op (AverageTime" + error + ")",
                    String.format(Locale.ROOT, "%.2f", ns), "", "", agent ? "informational" : "< 50 ns",
                    agent ? "" : ns < 50 ? "met" : "MISSED"});
            if (alloc.find(from)) {
                double bytes = Double.parseDouble(alloc.group(1));
                rows.add(new String[] {name, "`" + method + "`: gc.alloc.rate.norm (B/op, -prof gc)",
                        String.format(Locale.ROOT, "%.4f", bytes), "", "",
                        containers ? "Tomcat's attribute map: `fallback` − `containerMark` is the agent's" : "≈ 0 B/op (< 0.1)",
                        containers ? "" : bytes < 0.1 ? "met" : "MISSED"});
            }
        }
        return rows;
    }

    /** The agent script's table rows, without its header and separator. */
    static List<String> agentRows(List<String> lines) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (!line.startsWith("|")) {
                continue;
            }
            boolean separator = line.matches("\\|[\\s:|-]+\\|?");
            boolean header = i + 1 < lines.size() && lines.get(i + 1).trim().matches("\\|[\\s:|-]+\\|?");
            if (!separator && !header) {
                rows.add(line);
            }
        }
        return rows;
    }
}
