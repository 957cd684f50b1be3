package dev.upgradegate.gate.status;

import java.util.List;

/** Statuses as a check would publish them, for tests that put a gate in a given state without a database. */
public final class Statuses {

    private Statuses() {
    }

    public static Status of(State state) {
        return new Status(state, "2.0.0", "1.0.0", List.of(), null, List.of(), "set by a test");
    }

    /** With these versions, and these changesets applied that the bundle does not know. */
    public static Status of(State state, String bundleVersion, String schemaVersion, String... ahead) {
        return new Status(state, bundleVersion, schemaVersion, List.of(), null, List.of(ahead), "set by a test");
    }
}
