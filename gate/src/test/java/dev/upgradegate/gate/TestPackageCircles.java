package dev.upgradegate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * No package of any module's main sources reaches, through the project's own references, back to itself: a
 * newcomer can read the packages bottom-up. References are imports and fully qualified names in the code.
 */
class TestPackageCircles {

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern REFERENCE = Pattern.compile("\\b(dev\\.upgradegate(?:\\.\\w+)+)");
    private static final Pattern COMMENT = Pattern.compile("//[^\\n]*|/\\*.*?\\*/", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\\\n])*\"");

    @Test
    void noModuleHasAnImportCircle() throws IOException {
        Map<String, Set<String>> graph = graph(mainSources(projectRoot()));
        assertTrue(graph.size() > 10, "the scan found the packages of " + projectRoot());
        List<List<String>> circles = circles(graph);
        assertEquals(List.of(), circles, "package import circles (each from a package back to itself)");
    }

    @Test
    void aCircleIsFoundAndNamed() {
        Map<String, Set<String>> graph = new TreeMap<>();
        graph.put("a", Set.of("b"));
        graph.put("b", Set.of("c"));
        graph.put("c", Set.of("a"));
        graph.put("d", Set.of("a"));
        assertEquals(List.of(List.of("a", "b", "c", "a")), circles(graph));
    }

    /** The project's root: the directory holding {@code .ci/}, above wherever the build runs this test. */
    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve(".ci"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory holding .ci/ above " + Path.of("").toAbsolutePath());
    }

    private static List<Path> mainSources(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> root.relativize(file).toString().replace('\\', '/').matches("(?:[^/]+/)+src/main/java/.*"))
                    .filter(file -> !root.relativize(file).toString().replace('\\', '/').matches("(?:.*/)?(target|\\.[^/]*)/.*"))
                    .collect(Collectors.toList());
        }
    }

    /** Package to the project's packages it refers to, itself left out; a package split over modules counts once. */
    private static Map<String, Set<String>> graph(List<Path> files) {
        Map<String, String> texts = new TreeMap<>();
        for (Path file : files) {
            try {
                texts.put(file.toString(), Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<String> packages = new TreeSet<>();
        for (String text : texts.values()) {
            Matcher declared = PACKAGE.matcher(text);
            if (declared.find()) {
                packages.add(declared.group(1));
            }
        }
        Map<String, Set<String>> graph = new TreeMap<>();
        for (String text : texts.values()) {
            Matcher declared = PACKAGE.matcher(text);
            if (!declared.find()) {
                continue;
            }
            String from = declared.group(1);
            Set<String> targets = graph.computeIfAbsent(from, any -> new TreeSet<>());
            String code = STRING.matcher(COMMENT.matcher(text.substring(declared.end())).replaceAll(" ")).replaceAll("\"\"");
            Matcher reference = REFERENCE.matcher(code);
            while (reference.find()) {
                String to = packageOf(reference.group(1), packages);
                if (to != null && !to.equals(from)) {
                    targets.add(to);
                }
            }
        }
        return graph;
    }

    /** The longest known package a name starts with: a nested class or a static member names more than its package. */
    private static String packageOf(String name, Set<String> packages) {
        for (String candidate = name; candidate.indexOf('.') > 0; candidate = candidate.substring(0, candidate.lastIndexOf('.'))) {
            if (packages.contains(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** One circle per strongly connected group of packages, as a path from its smallest package back to it. */
    static List<List<String>> circles(Map<String, Set<String>> graph) {
        List<List<String>> circles = new ArrayList<>();
        Set<String> reported = new TreeSet<>();
        for (String start : graph.keySet()) {
            if (reported.contains(start)) {
                continue;
            }
            List<String> circle = shortestWayBack(graph, start);
            if (circle != null) {
                circles.add(circle);
                reported.addAll(circle);
            }
        }
        return circles;
    }

    private static List<String> shortestWayBack(Map<String, Set<String>> graph, String start) {
        Map<String, String> cameFrom = new TreeMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String at = queue.removeFirst();
            for (String next : graph.getOrDefault(at, Set.of())) {
                if (next.equals(start)) {
                    List<String> path = new ArrayList<>(List.of(start));
                    for (String step = at; !step.equals(start); step = cameFrom.get(step)) {
                        path.add(1, step);
                    }
                    path.add(start);
                    return path;
                }
                if (!cameFrom.containsKey(next)) {
                    cameFrom.put(next, at);
                    queue.addLast(next);
                }
            }
        }
        return null;
    }
}
