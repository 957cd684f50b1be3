package dev.upgradegate.gate.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A version compared as a version, not as text: {@code 1.10.0 > 1.9.0}, {@code 2.0.0-RC1 < 2.0.0},
 * {@code 1.0 == 1.0.0}. Pre-release qualifiers (alpha, beta, milestone, rc, snapshot) sort before the
 * release; others (sp, patch names) after it. A leading {@code v} and {@code +build} metadata are ignored.
 */
public final class Version implements Comparable<Version> {

    private static final int RELEASE = 6;

    private final String text;
    /** Each item is a Long (numeric part) or a lower-case String (qualifier). */
    private final Object[] items;

    private Version(String text, Object[] items) {
        this.text = text;
        this.items = items;
    }

    /** @throws IllegalArgumentException when {@code text} holds no version */
    public static Version parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty version");
        }
        String trimmed = text.trim();
        String body = trimmed;
        int build = body.indexOf('+');
        if (build >= 0) {
            body = body.substring(0, build);
        }
        if (body.length() > 1 && (body.charAt(0) == 'v' || body.charAt(0) == 'V') && Character.isDigit(body.charAt(1))) {
            body = body.substring(1);
        }
        List<Object> items = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            int start = i;
            if (Character.isDigit(c)) {
                while (i < body.length() && Character.isDigit(body.charAt(i))) {
                    i++;
                }
                String digits = body.substring(start, i);
                if (digits.length() > 18) {
                    throw new IllegalArgumentException("version number too long: " + text);
                }
                items.add(Long.parseLong(digits));
            } else if (Character.isLetter(c)) {
                while (i < body.length() && Character.isLetter(body.charAt(i))) {
                    i++;
                }
                dropPadding(items);
                items.add(body.substring(start, i).toLowerCase(Locale.ROOT));
            } else if (c == '.' || c == '-' || c == '_') {
                i++;
            } else {
                throw new IllegalArgumentException("unexpected character '" + c + "' in version " + text);
            }
        }
        if (items.isEmpty() || !(items.get(0) instanceof Long)) {
            throw new IllegalArgumentException("a version starts with a number: " + text);
        }
        dropPadding(items);
        return new Version(trimmed, items.toArray());
    }

    /**
     * Drops trailing zeros and release qualifiers, which mean "nothing more": so {@code 1.0-sp1} is
     * {@code 1-sp1} (as {@code 1.0} is {@code 1}) and {@code 1.0-final} is {@code 1}. Keeps the first number.
     */
    private static void dropPadding(List<Object> items) {
        while (items.size() > 1) {
            Object last = items.get(items.size() - 1);
            if (!(Long.valueOf(0L).equals(last) || last instanceof String && rank((String) last) == RELEASE)) {
                return;
            }
            items.remove(items.size() - 1);
        }
    }

    @Override
    public int compareTo(Version other) {
        int length = Math.max(items.length, other.items.length);
        for (int i = 0; i < length; i++) {
            int order = compareItems(i < items.length ? items[i] : null, i < other.items.length ? other.items[i] : null);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }

    /** {@code null} stands for "nothing more", which equals a zero or the release itself. */
    private static int compareItems(Object a, Object b) {
        if (a instanceof Long && b instanceof Long) {
            return Long.compare((Long) a, (Long) b);
        }
        if (a instanceof Long) {
            return b == null ? Long.compare((Long) a, 0) : 1;
        }
        if (b instanceof Long) {
            return a == null ? Long.compare(0, (Long) b) : -1;
        }
        int order = Integer.compare(rank((String) a), rank((String) b));
        if (order != 0 || a == null || b == null) {
            return order;
        }
        return ((String) a).compareTo((String) b);
    }

    private static int rank(String qualifier) {
        if (qualifier == null) {
            return RELEASE;
        }
        switch (qualifier) {
            case "alpha": case "a": case "dev":
                return 1;
            case "beta": case "b": case "pre": case "preview":
                return 2;
            case "milestone": case "m":
                return 3;
            case "rc": case "cr":
                return 4;
            case "snapshot":
                return 5;
            case "ga": case "final": case "release":
                return RELEASE;
            case "sp":
                return 7;
            default:
                return 8;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Version && compareTo((Version) o) == 0;
    }

    @Override
    public int hashCode() {
        int end = items.length;
        while (end > 0 && items[end - 1] instanceof Long && (Long) items[end - 1] == 0L) {
            end--;
        }
        int hash = 1;
        for (int i = 0; i < end; i++) {
            Object item = items[i];
            hash = 31 * hash + (item instanceof String && rank((String) item) == RELEASE ? 0 : item.hashCode());
        }
        return hash;
    }

    @Override
    public String toString() {
        return text;
    }
}
