package dev.upgradegate.gate.http;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one JSON writer of the gate, its API and the CLI: an object of strings, numbers, booleans, nested
 * objects and arrays, written compactly (no spaces) and escaped so that a body can never be sniffed into markup.
 */
public final class Json {

    private final StringBuilder out = new StringBuilder(128).append('{');
    private boolean first = true;

    public Json field(String name, String value) {
        key(name);
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    public Json field(String name, long value) {
        key(name);
        out.append(value);
        return this;
    }

    public Json field(String name, boolean value) {
        key(name);
        out.append(value);
        return this;
    }

    /** A nested object, or {@code null}. */
    public Json field(String name, Json object) {
        key(name);
        out.append(object == null ? "null" : object.toString());
        return this;
    }

    /** An array of strings; {@code null} when {@code values} is. */
    public Json field(String name, List<String> values) {
        return list(name, values, this::string);
    }

    /** An array of objects, each item written by {@code writer}; {@code null} when {@code items} is. */
    public <T> Json array(String name, List<T> items, Function<? super T, Json> writer) {
        return list(name, items, item -> out.append(writer.apply(item)));
    }

    private <T> Json list(String name, List<T> items, Consumer<? super T> writeItem) {
        key(name);
        if (items == null) {
            out.append("null");
            return this;
        }
        out.append('[');
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeItem.accept(items.get(i));
        }
        out.append(']');
        return this;
    }

    private void key(String name) {
        if (!first) {
            out.append(',');
        }
        first = false;
        string(name);
        out.append(':');
    }

    private void string(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    // '<' too, so a JSON body can never be sniffed into markup.
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out + "}";
    }

}
