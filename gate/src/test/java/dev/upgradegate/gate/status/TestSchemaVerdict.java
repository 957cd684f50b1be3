package dev.upgradegate.gate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.version.BundleLabel;
import dev.upgradegate.gate.version.FakeBundle;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.SchemaVersion;

/** The decision, without a database: the migrations decide, versions label and guard. */
class TestSchemaVerdict {

    static final PendingChangeset ADD_PRICE = new PendingChangeset("add-price", "dev", "db/changelog/2.0.xml");

    static BundleLabel bundle(String version) {
        return BundleLabel.of(FakeBundle.files(version == null ? Map.of()
                : Map.of("/META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Version: " + version + "\n")),
                "Implementation-Version");
    }

    static SchemaState state(SchemaState.Kind kind, String tag, List<PendingChangeset> pending) {
        return new SchemaState(kind, pending, kind == SchemaState.Kind.AHEAD ? List.of("db/x.xml::z::dev") : List.of(),
                tag, tag != null ? tag : "3 changesets applied", kind == SchemaState.Kind.FAILED ? ADD_PRICE : null);
    }

    @Test
    void aPatchReleaseWithNothingToRunIsUpWhateverTheTagSays() {
        Status status = SchemaVerdict.byMigrations(bundle("2.0.1"), state(SchemaState.Kind.CURRENT, "2.0.0", List.of()), null);
        assertEquals(State.UP, status.state());
        assertEquals("2.0.0", status.schemaVersion());
        assertEquals("2.0.1", status.bundleVersion());
    }

    @Test
    void aTagNewerThanTheBundleIsSchemaNewerEvenWithNothingPending() {
        Status status = SchemaVerdict.byMigrations(bundle("1.0.0"), state(SchemaState.Kind.CURRENT, "2.0.0", List.of()), null);
        assertEquals(State.SCHEMA_NEWER, status.state());
        assertEquals(List.of("tag 2.0.0"), status.ahead());
    }

    @Test
    void aTagThatIsNoVersionNamesNoRelease() {
        assertEquals(State.UP, SchemaVerdict.byMigrations(bundle("1.0.0"),
                state(SchemaState.Kind.CURRENT, "before-the-big-refactoring", List.of()), null).state());
    }

    @Test
    void pendingMigrationsRequireAnUpgradeAndAFailureMakesItFailed() {
        SchemaState behind = state(SchemaState.Kind.BEHIND, null, List.of(ADD_PRICE));
        assertEquals(State.UPGRADE_REQUIRED, SchemaVerdict.byMigrations(bundle("2.0.0"), behind, null).state());
        Status failed = SchemaVerdict.byMigrations(bundle("2.0.0"), behind, "changeset add-price failed");
        assertEquals(State.UPGRADE_FAILED, failed.state());
        assertEquals(List.of(ADD_PRICE), failed.pending());
        SchemaState empty = state(SchemaState.Kind.NOT_INSTALLED, null, List.of(ADD_PRICE));
        assertEquals(State.NOT_INSTALLED, SchemaVerdict.byMigrations(bundle("2.0.0"), empty, null).state());
        assertEquals(State.UPGRADE_FAILED, SchemaVerdict.byMigrations(bundle("2.0.0"), empty, "changeset a failed").state(),
                "a first install that failed is a failed upgrade, not a fresh database");
    }

    @Test
    void aBundleWithoutAVersionIsStillGatedByItsMigrations() {
        BundleLabel unknown = bundle(null);
        assertEquals("unknown", unknown.toString());
        assertTrue(unknown.source().startsWith("unknown: /META-INF/MANIFEST.MF is missing"), unknown.source());
        assertEquals(State.UPGRADE_REQUIRED, SchemaVerdict.byMigrations(unknown,
                state(SchemaState.Kind.BEHIND, "2.0.0", List.of(ADD_PRICE)), null).state());
        assertEquals(State.UP, SchemaVerdict.byMigrations(unknown, state(SchemaState.Kind.CURRENT, "9.9.9", List.of()), null)
                .state(), "a tag cannot be newer than an unknown version");
    }

    @Test
    void migrationsTheBundleDoesNotKnowOrAFailedRecordSpeakFirst() {
        Status ahead = SchemaVerdict.byMigrations(bundle("1.0.0"), state(SchemaState.Kind.AHEAD, null, List.of()), null);
        assertEquals(State.SCHEMA_NEWER, ahead.state());
        assertEquals(List.of("db/x.xml::z::dev"), ahead.ahead());
        Status failed = SchemaVerdict.byMigrations(bundle("1.0.0"), state(SchemaState.Kind.FAILED, null, List.of()), null);
        assertEquals(State.UPGRADE_FAILED, failed.state());
        assertTrue(failed.lastError().contains("db/changelog/2.0.xml") && failed.lastError().contains("repair"),
                failed.lastError());
    }

    @Test
    void versionQueryKeepsTheLegacyRule() {
        List<PendingChangeset> pending = List.of(ADD_PRICE);
        assertEquals(State.UP, SchemaVerdict.byVersion(bundle("2.0.0"), SchemaVersion.of("2.0"), pending, null).state());
        assertEquals(State.UPGRADE_REQUIRED,
                SchemaVerdict.byVersion(bundle("2.0.0"), SchemaVersion.of("1.9.9"), pending, null).state());
        assertEquals(State.SCHEMA_NEWER, SchemaVerdict.byVersion(bundle("2.0.0"), SchemaVersion.of("2.1"), pending, null).state());
        assertEquals(State.NOT_INSTALLED,
                SchemaVerdict.byVersion(bundle("2.0.0"), SchemaVersion.NOT_INSTALLED, pending, null).state());
        assertEquals(State.MISCONFIGURED,
                SchemaVerdict.byVersion(bundle("2.0.0"), SchemaVersion.of("latest"), pending, null).state());
    }
}
