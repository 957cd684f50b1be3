package dev.upgradegate.gate.template;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.upgradegate.gate.http.Html;

/**
 * HTML with {@code {{name}}} placeholders, each replaced HTML-escaped (a {@link Markup} value, which a
 * template rendered, goes in as it is). Parsed once, so that a typo is found when the file is loaded
 * rather than shown to a visitor.
 *
 * <p>Two dialects. An administrator's page ({@link #parse}) is sent as written, with a fixed set of names.
 * UpgradeGate's own templates ({@link #resource}) also have sections: {@code {{#name}}…{{/name}}} shows its
 * body once for a true or non-null value and once per element of a list (each a {@link Model} whose names
 * come first), {@code {{^name}}…{{/name}}} only for {@code null}, {@code false} or an empty list. Their line
 * breaks and indentation are there for the reader: dropped next to a tag or a section, one space elsewhere,
 * so that a sentence may wrap.
 */
public final class PageTemplate {

    private static final Pattern LINE_BREAK = Pattern.compile("\\s*\\n\\s*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final String name;
    /** Text, {@link Value} and {@link Section} nodes, in order. */
    private final Object[] nodes;

    private PageTemplate(String name, Object[] nodes) {
        this.name = name;
        this.nodes = nodes;
    }

    /**
     * An administrator's template, sent as written.
     *
     * @param known the names it may use
     * @throws IllegalArgumentException naming the line and what is wrong
     */
    public static PageTemplate parse(String text, Collection<String> known) {
        return new Parser(text, known).parse("the template");
    }

    /**
     * One of UpgradeGate's own templates, the resource {@code file} beside {@code owner}'s class.
     *
     * @throws IllegalStateException naming the file and the line, when it is missing or wrong: a bug of the build
     */
    public static PageTemplate resource(Class<?> owner, String file) {
        String text;
        try (InputStream in = owner.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing beside " + owner.getName());
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file, e);
        }
        try {
            return ours(file, text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ", " + e.getMessage(), e);
        }
    }

    /** One of our templates, from its text. */
    static PageTemplate ours(String name, String text) {
        return new Parser(text, null).parse(name);
    }

    /** @throws IllegalArgumentException when the model lacks a name the template uses */
    public Markup render(Model model) {
        StringBuilder out = new StringBuilder(1024);
        render(nodes, new Scope(model, null), out);
        return new Markup(out.toString());
    }

    private void render(Object[] nodes, Scope scope, StringBuilder out) {
        for (Object node : nodes) {
            if (node instanceof String) {
                out.append((String) node);
            } else if (node instanceof Value) {
                Object value = scope.get(((Value) node).name, this);
                out.append(value instanceof Markup ? value.toString() : Html.escape(value == null ? null : value.toString()));
            } else {
                Section section = (Section) node;
                Object value = scope.get(section.name, this);
                boolean shown = !(value == null || Boolean.FALSE.equals(value)
                        || value instanceof List && ((List<?>) value).isEmpty());
                if (section.inverted) {
                    if (!shown) {
                        render(section.body, scope, out);
                    }
                } else if (value instanceof List) {
                    for (Object each : (List<?>) value) {
                        render(section.body, new Scope((Model) each, scope), out);
                    }
                } else if (shown) {
                    render(section.body, scope, out);
                }
            }
        }
    }

    private static final class Value {
        final String name;

        Value(String name) {
            this.name = name;
        }
    }

    private static final class Section {
        final String name;
        final boolean inverted;
        Object[] body;

        Section(String name, boolean inverted) {
            this.name = name;
            this.inverted = inverted;
        }
    }

    /** The models in force, innermost first. */
    private static final class Scope {
        final Model model;
        final Scope outer;

        Scope(Model model, Scope outer) {
            this.model = model;
            this.outer = outer;
        }

        Object get(String name, PageTemplate template) {
            for (Scope scope = this; scope != null; scope = scope.outer) {
                if (scope.model.has(name)) {
                    return scope.model.get(name);
                }
            }
            throw new IllegalArgumentException(template.name + " uses {{" + name + "}}, which its model lacks");
        }
    }

    private static final class Parser {
        private final String text;
        /** The names an administrator's template may use; {@code null} for ours, which have sections. */
        private final Collection<String> known;

        Parser(String text, Collection<String> known) {
            this.text = text;
            this.known = known;
        }

        PageTemplate parse(String name) {
            Deque<Section> open = new ArrayDeque<>();
            Deque<List<Object>> bodies = new ArrayDeque<>();
            bodies.push(new ArrayList<>());
            int from = 0;
            while (true) {
                int start = text.indexOf("{{", from);
                if (start < 0) {
                    literal(bodies.peek(), text.substring(from), true);
                    break;
                }
                int close = text.indexOf("}}", start + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("line " + lineOf(start) + ": '{{' is never closed with '}}'");
                }
                String tag = text.substring(start + 2, close).trim();
                char kind = known == null && !tag.isEmpty() ? tag.charAt(0) : ' ';
                boolean section = kind == '#' || kind == '^' || kind == '/';
                literal(bodies.peek(), text.substring(from, start), section);
                String placeholder = section ? tag.substring(1).trim() : tag;
                check(placeholder, start);
                if (kind == '/') {
                    if (open.isEmpty() || !open.peek().name.equals(placeholder)) {
                        throw new IllegalArgumentException("line " + lineOf(start) + ": {{/" + placeholder + "}} closes "
                                + (open.isEmpty() ? "nothing" : "{{#" + open.peek().name + "}}"));
                    }
                    open.pop().body = bodies.pop().toArray();
                } else if (section) {
                    Section opened = new Section(placeholder, kind == '^');
                    bodies.peek().add(opened);
                    open.push(opened);
                    bodies.push(new ArrayList<>());
                } else {
                    bodies.peek().add(new Value(placeholder));
                }
                from = close + 2;
            }
            if (!open.isEmpty()) {
                throw new IllegalArgumentException("{{#" + open.peek().name + "}} is never closed");
            }
            return new PageTemplate(name, bodies.pop().toArray());
        }

        private void check(String placeholder, int at) {
            if (known != null && !known.contains(placeholder)) {
                throw new IllegalArgumentException("line " + lineOf(at) + ": unknown placeholder {{" + placeholder
                        + "}}; known are {{" + String.join("}}, {{", known) + "}}");
            }
            if (known == null && !NAME.matcher(placeholder).matches()) {
                throw new IllegalArgumentException("line " + lineOf(at) + ": {{" + placeholder + "}} is no name");
            }
        }

        /**
         * Adds literal text. In our templates a line break, with the blanks around it, is dropped next to a tag,
         * a section or either end of the file, and becomes one space elsewhere.
         *
         * @param sectionAfter whether a section tag or the end of the file follows
         */
        private void literal(List<Object> body, String literal, boolean sectionAfter) {
            if (known == null) {
                boolean sectionBefore = body.isEmpty() || body.get(body.size() - 1) instanceof Section;
                Matcher fold = LINE_BREAK.matcher(literal);
                StringBuilder folded = new StringBuilder(literal.length());
                int from = 0;
                while (fold.find()) {
                    boolean tight = (fold.start() == 0 ? sectionBefore : literal.charAt(fold.start() - 1) == '>')
                            || (fold.end() == literal.length() ? sectionAfter : literal.charAt(fold.end()) == '<');
                    folded.append(literal, from, fold.start()).append(tight ? "" : " ");
                    from = fold.end();
                }
                literal = folded.append(literal, from, literal.length()).toString();
            }
            if (!literal.isEmpty()) {
                body.add(literal);
            }
        }

        private int lineOf(int index) {
            int line = 1;
            for (int i = 0; i < index; i++) {
                if (text.charAt(i) == '\n') {
                    line++;
                }
            }
            return line;
        }
    }
}
