package dev.upgradegate.migrations;

import java.io.Writer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import liquibase.Contexts;
import liquibase.GlobalConfiguration;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.parser.ChangeLogParserFactory;
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

    /**
     * The changesets an upgrade would run, in order. Read-only, unlike Liquibase's own status command,
     * which creates its tracking tables: a plan must never race an upgrade for them.
     */
    public List<PendingChangeset> pending(Connection connection) throws MigrationException {
        Set<String> ran;
        try {
            ran = ranChangesets(connection);
        } catch (SQLException e) {
            throw failure(e, null);
        }
        return withScope(null, () -> {
            ClassLoaderResourceAccessor resourceAccessor = new ClassLoaderResourceAccessor(resources);
            DatabaseChangeLog log = ChangeLogParserFactory.getInstance().getParser(changelog, resourceAccessor)
                    .parse(changelog, new ChangeLogParameters(), resourceAccessor);
            List<PendingChangeset> pending = new ArrayList<>();
            for (ChangeSet changeSet : log.getChangeSets()) {
                if (runsOnMySql(changeSet) && !ran.contains(key(changeSet.getId(), changeSet.getAuthor(),
                        changeSet.getStoredFilePath()))) {
                    pending.add(describe(changeSet));
                }
            }
            return List.copyOf(pending);
        });
    }

    private static Set<String> ranChangesets(Connection connection) throws SQLException {
        Set<String> ran = new HashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ID, AUTHOR, FILENAME FROM DATABASECHANGELOG")) {
            while (rows.next()) {
                ran.add(key(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        } catch (SQLException e) {
            if (!SchemaVersionReader.NO_SUCH_TABLE.equals(e.getSQLState())) {
                throw e;
            }
        }
        return ran;
    }

    private static String key(String id, String author, String file) {
        String path = String.valueOf(file).replace('\\', '/');
        if (path.startsWith("classpath:")) {
            path = path.substring("classpath:".length());
        }
        while (path.startsWith("/")) {
            path = path.substring(1);
        }
        return id + "::" + author + "::" + path;
    }

    /** Changesets limited to other databases with {@code dbms="..."} never run here. */
    private static boolean runsOnMySql(ChangeSet changeSet) {
        Set<String> dbms = changeSet.getDbmsSet();
        if (dbms == null || dbms.isEmpty()) {
            return true;
        }
        for (String name : dbms) {
            String trimmed = name.trim().toLowerCase(Locale.ROOT);
            if (trimmed.equals("all") || trimmed.equals("mysql") || trimmed.equals("mariadb")) {
                return true;
            }
            if (trimmed.startsWith("!") && !trimmed.equals("!mysql") && !trimmed.equals("!mariadb")) {
                return true;
            }
        }
        return false;
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
            // Liquibase prints its summary to stdout by default; a container's log is where admins look.
            liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
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

    private interface LiquibaseWork<T> {
        T run(Liquibase liquibase) throws Exception;
    }

    private <T> T withLiquibase(Connection connection, ProgressReporter progress, LiquibaseWork<T> work)
            throws MigrationException {
        boolean autoCommit;
        try {
            autoCommit = connection.getAutoCommit();
        } catch (SQLException e) {
            throw failure(e, null);
        }
        try {
            return withScope(progress, () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                return work.run(new Liquibase(changelog, new ClassLoaderResourceAccessor(resources), database));
            });
        } finally {
            restoreAutoCommit(connection, autoCommit);
        }
    }

    /**
     * Liquibase turns auto-commit off. A pooled connection going back in that state keeps its next user
     * inside one long REPEATABLE READ snapshot, blind to every later change, such as the tag just written.
     */
    private static void restoreAutoCommit(Connection connection, boolean autoCommit) {
        try {
            if (!connection.isClosed() && connection.getAutoCommit() != autoCommit) {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            // The connection is broken; the pool will discard it.
        }
    }

    private <T> T withScope(ProgressReporter progress, Scope.ScopedRunnerWithReturn<T> work)
            throws MigrationException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Liquibase builds its root scope from the context class loader of the first thread that touches it;
        // a webapp's loader there would be pinned for the JVM's lifetime and could mix in another Liquibase.
        thread.setContextClassLoader(Migrator.class.getClassLoader());
        try {
            return Scope.child(scopeValues(), work);
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
