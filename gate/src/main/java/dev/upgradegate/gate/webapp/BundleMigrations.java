package dev.upgradegate.gate.webapp;

import java.util.List;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.migrations.FlywayEngine;
import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.MigrationEngine;

/**
 * Finds the migrations a webapp's bundle carries: Liquibase where its changelog is in the class path,
 * else Flyway where its locations are, unless {@code migrations} names the engine. Cheap: it parses
 * nothing; each engine reads its files once, on its first check.
 */
final class BundleMigrations {

    private BundleMigrations() {
    }

    /** @throws IllegalStateException naming what was looked for and where, when the bundle has none */
    static MigrationEngine open(AppSettings settings, ClassLoader bundle) {
        AppSettings.Engine engine = settings.engine();
        List<String> candidates = settings.changelog() != null ? List.of(settings.changelog())
                : AppSettings.DEFAULT_CHANGELOGS;
        String found = null;
        for (String candidate : candidates) {
            if (found == null && bundle.getResource(candidate) != null) {
                found = candidate;
            }
        }
        boolean changelog = found != null;
        String looked = String.join(" or ", candidates);
        boolean flyway = false;
        for (String location : settings.flywayLocations()) {
            flyway |= bundle.getResource(location) != null || bundle.getResource(location + "/") != null;
        }
        if (engine == AppSettings.Engine.LIQUIBASE || engine == null && changelog) {
            if (!changelog) {
                throw new IllegalStateException("migrations=liquibase, but no Liquibase changelog " + looked
                        + " is in the webapp's class path (WEB-INF/classes or WEB-INF/lib) (the key changelog names it)");
            }
            return new LiquibaseEngine(found, bundle, settings.liquibaseContexts(), settings.liquibaseLabels(),
                    settings.liquibaseTable(), settings.liquibaseLockTable(), settings.liquibaseDefaultSchema());
        }
        if (engine == AppSettings.Engine.FLYWAY || flyway) {
            if (!flyway) {
                throw new IllegalStateException("migrations=flyway, but no Flyway migrations are in the webapp's"
                        + " class path at " + String.join(", ", settings.flywayLocations())
                        + " (the key flyway.locations names them)");
            }
            return new FlywayEngine(settings.flywayLocations(), bundle, settings.flywayTable(),
                    settings.flywaySchemas());
        }
        throw new IllegalStateException("the bundle carries no migrations: neither a Liquibase changelog at "
                + looked + " (key changelog) nor Flyway migrations at "
                + String.join(", ", settings.flywayLocations())
                + " (key flyway.locations) in the webapp's class path (WEB-INF/classes or WEB-INF/lib)");
    }
}
