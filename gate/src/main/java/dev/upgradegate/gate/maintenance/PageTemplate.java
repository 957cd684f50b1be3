package dev.upgradegate.gate.maintenance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.upgradegate.gate.http.Html;

/**
 * An administrator's maintenance page: HTML with {@code {{state}}}, {@code {{code}}},
 * {@code {{retryAfter}}} and {@code {{message}}}, each replaced HTML-escaped. Parsed once, so that a
 * typo is found when the file is loaded rather than shown to visitors.
 */
public final class PageTemplate {

    static final List<String> PLACEHOLDERS = List.of("state", "code", "retryAfter", "message");

    /** Literal text at even indexes, placeholder names at odd ones. */
    private final List<String> parts;

    private PageTemplate(List<String> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException naming the line and what is wrong */
    public static PageTemplate parse(String text) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf("{{", from);
            if (open < 0) {
                parts.add(text.substring(from));
                return new PageTemplate(parts);
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("line " + lineOf(text, open) + ": '{{' is never closed with '}}'");
            }
            String name = text.substring(open + 2, close).trim();
            if (!PLACEHOLDERS.contains(name)) {
                throw new IllegalArgumentException("line " + lineOf(text, open) + ": unknown placeholder {{"
                        + name + "}}; known are {{" + String.join("}}, {{", PLACEHOLDERS) + "}}");
            }
            parts.add(text.substring(from, open));
            parts.add(name);
            from = close + 2;
        }
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The page with every placeholder replaced by its escaped value. */
    public String render(Map<String, String> values) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            out.append(i % 2 == 0 ? parts.get(i) : Html.escape(values.get(parts.get(i))));
        }
        return out.toString();
    }
}
