package dev.upgradegate.gate.webapp;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.version.BundleLabel;
import dev.upgradegate.migrations.MigrationEngine;

/**
 * What a gated webapp's bundle carries: its version label and its migrations, read once when the gate opens,
 * or why they cannot be used.
 */
public final class Bundle {

    private final BundleLabel label;
    private final MigrationEngine engine;
    private final String problem;

    private Bundle(BundleLabel label, MigrationEngine engine, String problem) {
        this.label = label;
        this.engine = engine;
        this.problem = problem;
    }

    /** Reads nothing when the settings leave the webapp ungated or are wrong: there is nothing to compare then. */
    public static Bundle read(Webapp webapp, AppSettings settings) {
        if (!settings.gated() || settings.problem() != null) {
            return new Bundle(null, null, null);
        }
        BundleLabel label = BundleLabel.of(webapp, settings.versionAttribute());
        MigrationEngine engine = null;
        String problem = null;
        try {
            engine = BundleMigrations.open(settings, webapp.classLoader());
        } catch (IllegalStateException e) {
            problem = webapp.name() + ": " + e.getMessage();
        }
        if (problem == null && settings.versionQuery() != null && label.version() == null) {
            problem = webapp.name() + ": version.query compares the schema's version with the bundle's, but the"
                    + " bundle's version is " + label.source();
        }
        return new Bundle(label, engine, problem);
    }

    /** The label, or {@code null} when the settings are wrong. */
    public BundleLabel label() {
        return label;
    }

    /** The bundle's version, {@code unknown} when it says none, or {@code null} when the settings are wrong. */
    public String version() {
        return label == null ? null : label.toString();
    }

    /** Where the bundle's version came from, or why it is unknown; {@code null} when the settings are wrong. */
    public String versionSource() {
        return label == null ? null : label.source();
    }

    /** The bundle's migrations, or {@code null} when the settings are wrong or the bundle carries none. */
    public MigrationEngine engine() {
        return engine;
    }

    /** Why the bundle cannot be compared with the database, or {@code null}. */
    public String problem() {
        return problem;
    }
}
