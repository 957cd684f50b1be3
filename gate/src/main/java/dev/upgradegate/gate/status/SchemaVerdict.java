package dev.upgradegate.gate.status;

import java.util.List;

import dev.upgradegate.gate.version.BundleLabel;
import dev.upgradegate.gate.version.Version;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.SchemaVersion;

/**
 * Whether a bundle's code fits its database, in one place. By default the migrations decide: what the
 * bundle would run and has not, or what the database has applied that the bundle does not know; the
 * versions only label the two sides and guard against a rolled-back bundle. A {@code version.query}
 * keeps the legacy rule: the versions must be equal.
 */
final class SchemaVerdict {

    private SchemaVerdict() {
    }

    /**
     * @param failure why the last upgrade did not finish (on this node, or as the lease remembers it), or
     *     {@code null}
     */
    static Status byMigrations(BundleLabel bundle, SchemaState schema, String failure) {
        String version = bundle.toString();
        String label = schema.label();
        List<PendingChangeset> pending = schema.pending();
        switch (schema.kind()) {
            case NOT_INSTALLED:
                return new Status(failure == null ? State.NOT_INSTALLED : State.UPGRADE_FAILED, version, null, pending,
                        failure, List.of(), "the database has no schema yet");
            case FAILED:
                String failed = "migration " + schema.failed().file() + " failed and is recorded as failed in the"
                        + " history; repair removes that record, so that a fixed bundle runs it again";
                return new Status(State.UPGRADE_FAILED, version, label, pending, failure != null ? failure : failed,
                        List.of(), failed);
            case AHEAD:
                return new Status(State.SCHEMA_NEWER, version, label, List.of(), null, schema.ahead(),
                        "the database has applied " + schema.ahead().size() + " migrations of the bundle's files that"
                                + " the bundle does not carry: " + String.join(", ", schema.ahead()));
            default:
                break;
        }
        Version tag = releaseTag(schema.newestTag());
        if (tag != null && bundle.version() != null && tag.compareTo(bundle.version()) > 0) {
            return new Status(State.SCHEMA_NEWER, version, label, List.of(), null, List.of("tag " + tag),
                    "the database's newest tag " + tag + " is newer than bundle " + version);
        }
        if (schema.kind() == SchemaState.Kind.CURRENT) {
            return new Status(State.UP, version, label, List.of(), null, List.of(), "nothing to run");
        }
        return new Status(failure == null ? State.UPGRADE_REQUIRED : State.UPGRADE_FAILED, version, label, pending,
                failure, List.of(), pending.size() + " of the bundle's migrations have not run");
    }

    /** The legacy rule: the version the query reads must equal the bundle's. */
    static Status byVersion(BundleLabel bundle, SchemaVersion schema, List<PendingChangeset> pending, String failure) {
        String version = bundle.toString();
        if (schema.kind() == SchemaVersion.Kind.NOT_INSTALLED) {
            return new Status(failure == null ? State.NOT_INSTALLED : State.UPGRADE_FAILED, version, null, pending,
                    failure, List.of(), "version.query finds no version");
        }
        Version found;
        try {
            found = Version.parse(schema.version());
        } catch (IllegalArgumentException e) {
            return new Status(State.MISCONFIGURED, version, null, null, null, List.of(),
                    "version.query reads '" + schema.version() + "', which is not a version (" + e.getMessage() + ")");
        }
        int order = bundle.version().compareTo(found);
        if (order == 0) {
            return new Status(State.UP, version, schema.version(), List.of(), null, List.of(), "versions match");
        }
        if (order < 0) {
            return new Status(State.SCHEMA_NEWER, version, schema.version(), List.of(), null,
                    List.of("version " + schema.version()), "schema " + schema.version() + " is newer than bundle " + version);
        }
        return new Status(failure == null ? State.UPGRADE_REQUIRED : State.UPGRADE_FAILED, version, schema.version(),
                pending, failure, List.of(), "bundle " + version + " is newer than schema " + schema.version());
    }

    /** A tag that names a release, such as 2.0.0; {@code null} for any other tag. */
    private static Version releaseTag(String tag) {
        if (tag == null) {
            return null;
        }
        try {
            return Version.parse(tag);
        } catch (IllegalArgumentException notARelease) {
            return null;
        }
    }
}
