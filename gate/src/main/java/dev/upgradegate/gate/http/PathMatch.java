package dev.upgradegate.gate.http;

/**
 * Request paths matched char by char, straight on the container's buffer, so that nothing is allocated:
 * these run on every request.
 */
public final class PathMatch {

    private PathMatch() {
    }

    /**
     * The offset just past {@code prefix} (placed at {@code offset}) when the path is that prefix or below
     * it, else -1. Most paths fail at their first characters.
     */
    public static int below(CharSequence path, int offset, String prefix) {
        int end = offset + prefix.length();
        int length = path.length();
        if (length < end || length > end && path.charAt(end) != '/') {
            return -1;
        }
        return regionEquals(path, offset, prefix) ? end : -1;
    }

    /** Whether the path, from {@code offset} on, is {@code resource}, with or without a trailing slash. */
    public static boolean isExactly(CharSequence path, int offset, String resource) {
        int end = offset + resource.length();
        int length = path.length();
        if (length != end && !(length == end + 1 && path.charAt(end) == '/')) {
            return false;
        }
        return regionEquals(path, offset, resource);
    }

    /** Whether the whole path is {@code expected}, as {@link String#contentEquals} but for any CharSequence. */
    public static boolean equals(CharSequence path, String expected) {
        return path.length() == expected.length() && regionEquals(path, 0, expected);
    }

    /**
     * A resource below the install path as the endpoints name it: {@code /status/} is {@code /status}. It
     * allocates, so it serves a request the gate answers, never the pass path.
     */
    public static String resource(String rest) {
        return rest.endsWith("/") && rest.length() > 1 ? rest.substring(0, rest.length() - 1) : rest;
    }

    /** Whether {@code expected} stands in the path at {@code offset}; the caller has checked the length. */
    private static boolean regionEquals(CharSequence path, int offset, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            if (path.charAt(offset + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
