package dev.upgradegate.gate.maintenance;

import java.util.List;

import dev.upgradegate.gate.http.PathMatch;

/**
 * A webapp's {@code ignore} patterns: paths inside the webapp that always pass, whatever its state, such
 * as its own health check or static assets. Patterns start with {@code /}; {@code *} matches within one
 * path segment and {@code **} across segments ({@code /static/**}, {@code /*.css}, {@code /healthz}).
 * Split once at start; matching allocates nothing, since it runs on requests.
 */
public final class IgnoredPaths {

    private static final IgnoredPaths NONE = new IgnoredPaths(new String[0], null);

    private final String[] patterns;
    private final String installPath;

    private IgnoredPaths(String[] patterns, String installPath) {
        this.patterns = patterns;
        this.installPath = installPath;
    }

    /**
     * @param patterns each starting with {@code /}, as the {@code ignore} setting reads them; empty for none
     * @param installPath never ignored, so that a broad pattern cannot hide the install endpoint
     */
    public static IgnoredPaths of(List<String> patterns, String installPath) {
        return patterns.isEmpty() ? NONE : new IgnoredPaths(patterns.toArray(new String[0]), installPath);
    }

    /**
     * @param path the decoded request URI, context path included
     * @param offset where the path inside the webapp starts (the context path's length)
     */
    public boolean matches(CharSequence path, int offset) {
        if (patterns.length == 0 || PathMatch.below(path, offset, installPath) >= 0) {
            return false;
        }
        for (String pattern : patterns) {
            if (glob(pattern, 0, path, offset)) {
                return true;
            }
        }
        return false;
    }

    private static boolean glob(String pattern, int p, CharSequence path, int s) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                boolean any = p + 1 < pattern.length() && pattern.charAt(p + 1) == '*';
                int rest = p + (any ? 2 : 1);
                for (int i = s; ; i++) {
                    if (glob(pattern, rest, path, i)) {
                        return true;
                    }
                    if (i >= path.length() || !any && path.charAt(i) == '/') {
                        return false;
                    }
                }
            }
            if (s >= path.length() || path.charAt(s) != c) {
                return false;
            }
            p++;
            s++;
        }
        return s == path.length();
    }
}
