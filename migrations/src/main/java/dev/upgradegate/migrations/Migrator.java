package dev.upgradegate.migrations;

import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import liquibase.Contexts;
import liquibase.GlobalConfiguration;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.changelog.ChangeSet;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * Plans and runs Liquibase upgrades of one webapp's changelog, read from that webapp's class path.
 * Each call uses the connection it is given and leaves closing it to the caller.
 */
public final class Migrator {

    /** Minutes Liquibase waits for its own DATABASECHANGELOGLOCK; its default of 5 would look like a hang. */
    static final long LIQUIBASE_LOCK_WAIT_MINUTES = 1;

    private final String changelog;
    private final ClassLoader resources;

    /**
     * @param changelog the changelog's path in the class path, e.g. {@code db/changelog/db.changelog-master.xml}
     * @param resources the class loader that sees the changelog (the webapp's)
     */
    public Migrator(String changelog, ClassLoader resources) {
        this.changelog = changelog;
        this.resources = resources;
    }

    /** The changesets an upgrade would run, in order. */
    public List<PendingChangeset> pending(Connection connection) throws MigrationException {
        return withLiquibase(connection, null, liquibase -> toPending(unrun(liquibase)));
    }

    /** Writes the SQL an upgrade would run, without running it. */
    public void updateSql(Connection connection, Writer out) throws MigrationException {
        withLiquibase(connection, null, liquibase -> {
            liquibase.update(new Contexts(), new LabelExpression(), out);
            return null;
        });
    }

    /** Runs every pending changeset, telling {@code listener} as it goes. */
    public void update(Connection connection, UpgradeListener listener) throws MigrationException {
        ProgressReporter progress = new ProgressReporter(listener);
        withLiquibase(connection, progress, liquibase -> {
            List<ChangeSet> unrun = unrun(liquibase);
            listener.starting(unrun.size());
            liquibase.setChangeExecListener(progress);
            liquibase.update(new Contexts(), new LabelExpression());
            return null;
        });
    }

    private static List<ChangeSet> unrun(Liquibase liquibase) throws Exception {
        return liquibase.listUnrunChangeSets(new Contexts(), new LabelExpression());
    }

    static PendingChangeset describe(ChangeSet changeSet) {
        return new PendingChangeset(changeSet.getId(), changeSet.getAuthor(), changeSet.getFilePath());
    }

    private static List<PendingChangeset> toPending(List<ChangeSet> changeSets) {
        List<PendingChangeset> pending = new ArrayList<>(changeSets.size());
        for (ChangeSet changeSet : changeSets) {
            pending.add(describe(changeSet));
        }
        return List.copyOf(pending);
    }

    private interface LiquibaseWork<T> {
        T run(Liquibase liquibase) throws Exception;
    }

    private <T> T withLiquibase(Connection connection, ProgressReporter progress, LiquibaseWork<T> work)
            throws MigrationException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Liquibase builds its root scope from the context class loader of the first thread that touches it;
        // a webapp's loader there would be pinned for the JVM's lifetime and could mix in another Liquibase.
        thread.setContextClassLoader(Migrator.class.getClassLoader());
        try {
            return Scope.child(scopeValues(), () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                return work.run(new Liquibase(changelog, new ClassLoaderResourceAccessor(resources), database));
            });
        } catch (Exception e) {
            throw failure(e, progress == null ? null : progress.failed());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Map<String, Object> scopeValues() {
        Map<String, Object> values = new HashMap<>();
        values.put(Scope.Attr.ui.name(), new LoggerUIService());
        values.put(AnalyticsArgs.ENABLED.getKey(), Boolean.FALSE);
        values.put(GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(), LIQUIBASE_LOCK_WAIT_MINUTES);
        return values;
    }

    private MigrationException failure(Exception e, PendingChangeset failed) {
        String detail = innermostMessage(e);
        String message = failed == null
                ? "Liquibase failed on changelog " + changelog + ": " + detail
                : "changeset " + failed + " failed: " + detail;
        return new MigrationException(message, failed, detail, e);
    }

    /** The database's own words where there are some, else the deepest message in the chain. */
    static String innermostMessage(Throwable e) {
        String message = String.valueOf(e.getMessage());
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return String.valueOf(t.getMessage());
            }
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return message;
    }
}
