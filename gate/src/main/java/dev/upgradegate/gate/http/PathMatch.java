package dev.upgradegate.gate.install;

/**
 * Where the install endpoint sits in a request path. Matched char by char on every request, straight on
 * the container's buffer, so it allocates nothing.
 */
public final class InstallPath {

    private InstallPath() {
    }

    /**
     * The offset just past {@code {context}{install.path}} when the path is that or below it, else -1.
     * Most paths fail at their first characters after the context.
     */
    public static int below(CharSequence path, int contextPathLength, String installPath) {
        int end = contextPathLength + installPath.length();
        int length = path.length();
        if (length < end || length > end && path.charAt(end) != '/') {
            return -1;
        }
        return regionEquals(path, contextPathLength, installPath) ? end : -1;
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

    private static boolean regionEquals(CharSequence path, int offset, String expected) {
        for (int i = 0; i < expected.length(); i++) {
            if (path.charAt(offset + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
