package dev.upgradegate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads HotSpot compilation logs ({@code -XX:+UnlockDiagnosticVMOptions -XX:+LogCompilation
 * -XX:LogFile=DIR/%p.log}, one per Tomcat of a run) and tells, per JVM, how many of the C2 compilations that
 * inline {@code String.charAt} also compile its UTF-16 branch ({@code StringUTF16.charAt} inlined) instead of
 * leaving it to an uncommon trap, and which of Tomcat's and the webapp's methods do. Issue 17's evidence: a JVM
 * in which something once walked UTF-16 strings through profiled code carries that branch in every string loop
 * of the request path (docs/benchmarks.md, "Pass-through at the noise floor").
 *
 * <p>Usage: {@code JitLog LOG...}
 */
public final class JitLog {

    private static final Pattern TASK = Pattern.compile("<task ([^>]*)>(.*?)</task>", Pattern.DOTALL);
    private static final Pattern METHOD_NAME = Pattern.compile("method='([^' ]+) ([^' ]+)");
    private static final Pattern KLASS = Pattern.compile("<klass id='(\\d+)' name='([^']*)'");
    private static final Pattern CHAR_AT = Pattern.compile("<method id='(\\d+)' holder='(\\d+)' name='charAt'");
    private static final Pattern PARSE = Pattern.compile("<parse method='(\\d+)'");
    private static final Pattern BASE = Pattern.compile("catalina\\.base=([^ \\n']+)");

    private JitLog() {
    }

    public static void main(String[] args) throws IOException {
        for (String file : args) {
            String log = Files.readString(Path.of(file), StandardCharsets.ISO_8859_1);
            Matcher base = BASE.matcher(log);
            int inlining = 0;
            int utf16 = 0;
            Set<String> requestPath = new TreeSet<>();
            Matcher task = TASK.matcher(log);
            while (task.find()) {
                // C2's tasks carry no level attribute; C1's do.
                if (task.group(1).contains("level=")) {
                    continue;
                }
                String body = task.group(2);
                Map<String, String> klasses = new HashMap<>();
                for (Matcher k = KLASS.matcher(body); k.find(); ) {
                    klasses.put(k.group(1), k.group(2));
                }
                Set<String> parsed = new HashSet<>();
                for (Matcher p = PARSE.matcher(body); p.find(); ) {
                    parsed.add(p.group(1));
                }
                boolean string = false;
                boolean utf16Branch = false;
                for (Matcher m = CHAR_AT.matcher(body); m.find(); ) {
                    if (parsed.contains(m.group(1))) {
                        String holder = klasses.get(m.group(2));
                        string |= "java.lang.String".equals(holder);
                        utf16Branch |= "java.lang.StringUTF16".equals(holder);
                    }
                }
                if (string) {
                    inlining++;
                    if (utf16Branch) {
                        utf16++;
                        Matcher name = METHOD_NAME.matcher(task.group(1));
                        if (name.find() && !name.group(1).startsWith("java.") && !name.group(1).startsWith("jdk.")
                                && !name.group(1).startsWith("sun.")) {
                            requestPath.add(name.group(1).substring(name.group(1).lastIndexOf('.') + 1) + "."
                                    + name.group(2));
                        }
                    }
                }
            }
            System.out.printf("%s (%s): %d of %d C2 compilations that inline String.charAt compile its UTF-16 branch%n",
                    file, base.find() ? Path.of(base.group(1)).getFileName() : "?", utf16, inlining);
            if (!requestPath.isEmpty()) {
                System.out.println("  outside the JDK: " + String.join(", ", requestPath));
            }
        }
    }
}
