package dev.upgradegate.migrations.backup;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a plain pg_dump as it streams past: the rows of each table's {@code COPY ... FROM stdin;} block, one per
 * line up to the {@code \.} line, and whether the dump reached its closing comment. COPY's text format escapes
 * every newline and backslash inside a value, so a line is a row. The dump's bytes pass through untouched.
 */
final class CopyRows {

    private static final String COPY = "COPY ";
    private static final String FROM_STDIN = " FROM stdin;";
    private static final String COMPLETE = "-- PostgreSQL database dump complete";
    /** A statement line is only kept this far: enough for a COPY's table name, and for the closing comment. */
    private static final int HEAD = 2048;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final byte[] head = new byte[HEAD];
    private final byte[] tail = new byte[FROM_STDIN.length()];
    private long lineLength;
    private String table;
    private long rows;
    /** In a COPY block: 1 after a backslash at a line's start, 2 after its dot. */
    private int terminator;
    private long bytes;
    private boolean complete;

    void scan(byte[] buffer, int length) {
        bytes += length;
        for (int i = 0; i < length; i++) {
            byte b = buffer[i];
            if (table != null) {
                inCopy(b);
            } else if (b == '\n') {
                endOfStatementLine();
            } else {
                if (lineLength < HEAD) {
                    head[(int) lineLength] = b;
                }
                tail[(int) (lineLength % tail.length)] = b;
                lineLength++;
            }
        }
    }

    private void inCopy(byte b) {
        if (b == '\n') {
            if (terminator == 2 && lineLength == 2) {
                counts.put(table, rows);
                table = null;
            } else {
                rows++;
            }
            lineLength = 0;
            terminator = 0;
            return;
        }
        if (lineLength == 0 && b == '\\') {
            terminator = 1;
        } else if (lineLength == 1 && terminator == 1 && b == '.') {
            terminator = 2;
        }
        lineLength++;
    }

    private void endOfStatementLine() {
        String start = new String(head, 0, (int) Math.min(lineLength, HEAD), StandardCharsets.UTF_8);
        if (start.startsWith(COPY) && endsWith(FROM_STDIN)) {
            table = tableName(start);
            rows = 0;
        } else if (lineLength == COMPLETE.length() && start.equals(COMPLETE)) {
            complete = true;
        }
        lineLength = 0;
    }

    private boolean endsWith(String suffix) {
        if (lineLength < suffix.length()) {
            return false;
        }
        for (int i = 0; i < suffix.length(); i++) {
            long at = lineLength - suffix.length() + i;
            if (tail[(int) (at % tail.length)] != suffix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The table's name as pg_dump wrote it ({@code public.item}, {@code public."Odd name"}), quotes and all. */
    private static String tableName(String line) {
        int at = COPY.length();
        boolean quoted = false;
        while (at < line.length()) {
            char c = line.charAt(at);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ' ' && !quoted) {
                break;
            }
            at++;
        }
        return line.substring(COPY.length(), at);
    }

    /** Rows per table, in the dump's order. */
    Map<String, Long> counts() {
        return counts;
    }

    long bytes() {
        return bytes;
    }

    /** Whether the dump ended with pg_dump's closing comment, outside any COPY block. */
    boolean complete() {
        return complete && table == null;
    }
}
