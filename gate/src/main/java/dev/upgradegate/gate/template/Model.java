package dev.upgradegate.gate.template;

import java.util.HashMap;
import java.util.Map;

/**
 * The values a template is rendered with, by name. A value may be {@code null} (shown as nothing, and
 * false to a section), but never missing: a name the template uses and the model lacks is a bug, and
 * rendering says which.
 */
public final class Model {

    private final Map<String, Object> values = new HashMap<>();

    public Model put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    Object get(String name) {
        return values.get(name);
    }
}
