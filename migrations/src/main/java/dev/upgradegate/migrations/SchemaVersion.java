package dev.upgradegate.migrations;

import java.util.Objects;

/** What a legacy webapp's {@code version.query} says about its schema: nothing installed, or a version. */
public final class SchemaVersion {

    /** How much the database knows about its own version. */
    public enum Kind { NOT_INSTALLED, VERSIONED }

    public static final SchemaVersion NOT_INSTALLED = new SchemaVersion(Kind.NOT_INSTALLED, null);

    private final Kind kind;
    private final String version;

    private SchemaVersion(Kind kind, String version) {
        this.kind = kind;
        this.version = version;
    }

    public static SchemaVersion of(String version) {
        return new SchemaVersion(Kind.VERSIONED, Objects.requireNonNull(version, "version"));
    }

    public Kind kind() {
        return kind;
    }

    /** The version text, or {@code null} unless {@link #kind()} is {@link Kind#VERSIONED}. */
    public String version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchemaVersion && ((SchemaVersion) o).kind == kind
                && Objects.equals(((SchemaVersion) o).version, version);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, version);
    }

    @Override
    public String toString() {
        return kind == Kind.VERSIONED ? version : kind.name();
    }
}
