package dev.upgradegate.gate.http;

/** Just enough JSON writing for the gate's small documents. */
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

    /** Appends a field whose value is already JSON. */
    public Json raw(String name, String json) {
        key(name);
        out.append(json);
        return this;
    }

    /** Appends a field whose value is an array of strings. */
    public Json field(String name, java.util.List<String> values) {
        key(name);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            string(values.get(i));
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
