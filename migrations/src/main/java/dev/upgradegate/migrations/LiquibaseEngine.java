package dev.upgradegate.migrations;

import java.io.Writer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import liquibase.ChecksumVersion;
import liquibase.Contexts;
import liquibase.GlobalConfiguration;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.UpdateSummaryOutputEnum;
import liquibase.analytics.configuration.AnalyticsArgs;
import liquibase.change.CheckSum;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.DatabaseList;
import liquibase.database.jvm.JdbcConnection;
import liquibase.parser.ChangeLogParserFactory;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * A webapp's Liquibase changelog, read from its class path. The changelog is parsed once; a check then
 * compares its changesets (identified as Liquibase does: id, author, logical file path) with the rows of
 * {@code DATABASECHANGELOG}, honouring {@code dbms} filters, contexts, labels, {@code runAlways} and
 * {@code runOnChange}, as Liquibase's own update would.
 */
public final class LiquibaseEngine implements MigrationEngine {

    /** Minutes Liquibase waits for its own DATABASECHANGELOGLOCK; its default of 5 would look like a hang. */
    static final long LIQUIBASE_LOCK_WAIT_MINUTES = 1;

    private static final LiquibaseLog LOG_SERVICE = new LiquibaseLog();

    private final String changelog;
    private final ClassLoader resources;
    private final String contexts;
    private final String labels;
    private final String table;
    private final String lockTable;
    private final String defaultSchema;
    private final HistoryTable history;
    private final LiquibaseLock leftLock;
    private volatile Changelog parsed;

    /**
     * @param changelog the changelog's path in the class path, e.g. {@code db/changelog/db.changelog-master.xml}
     * @param resources the class loader that sees the changelog (the webapp's)
     * @param contexts Liquibase contexts, or {@code null} for all
     * @param labels a Liquibase label expression, or {@code null} for all
     * @param table the history table, or {@code null} for {@code DATABASECHANGELOG}
     * @param lockTable Liquibase's lock table, or {@code null} for {@code DATABASECHANGELOGLOCK}
     * @param defaultSchema Liquibase's default schema (its {@code defaultSchemaName}), where the changesets' objects
     *        and its own tables live, or {@code null} for the connection's current schema
     */
    public LiquibaseEngine(String changelog, ClassLoader resources, String contexts, String labels, String table,
                           String lockTable, String defaultSchema) {
        this.changelog = changelog;
        this.defaultSchema = defaultSchema;
        this.resources = resources;
        this.contexts = contexts;
        this.labels = labels;
        this.table = table == null ? "DATABASECHANGELOG" : table;
        this.lockTable = lockTable == null ? "DATABASECHANGELOGLOCK" : lockTable;
        this.history = new HistoryTable(defaultSchema, this.table, "ORDEREXECUTED", "DATEEXECUTED");
        this.leftLock = lockTable == null ? LiquibaseLock.DEFAULT : new LiquibaseLock(lockTable);
    }

    /** With Liquibase's defaults: every context and label, the standard table names. */
    public LiquibaseEngine(String changelog, ClassLoader resources) {
        this(changelog, resources, null, null, null, null, null);
    }

    @Override
    public String name() {
        return LIQUIBASE;
    }

    @Override
    public String location() {
        return changelog;
    }

    @Override
    public LeftLock leftLock() {
        return leftLock;
    }

    @Override
    public HistoryTable history() {
        return history;
    }

    @Override
    public SchemaState inspect(Connection connection, HistoryTable.Fingerprint fingerprint)
            throws SQLException, MigrationException {
        Changelog log = changelog();
        String kind = Sql.kind(connection);
        SchemaState state = history.inspect(connection, fingerprint, (c, rows, last) -> judge(log, kind, c, rows, last));
        if (state == null) {
            return new SchemaState(SchemaState.Kind.NOT_INSTALLED, log.pending(kind, Map.of()), List.of(), null, null,
                    null);
        }
        return state;
    }

    private SchemaState judge(Changelog log, String kind, Connection connection, int rows, Instant last)
            throws SQLException {
        Map<String, String> ran = new HashMap<>();
        List<String> ahead = new ArrayList<>();
        String tag = null;
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT ID, AUTHOR, FILENAME, MD5SUM, TAG FROM "
                     + history.qualified() + " ORDER BY ORDEREXECUTED, DATEEXECUTED")) {
            while (row.next()) {
                String path = HistoryTable.normalPath(row.getString(3));
                String key = key(row.getString(1), row.getString(2), path);
                ran.put(key, row.getString(4));
                if (row.getString(5) != null) {
                    tag = row.getString(5).trim();
                }
                if (log.owns(path) && !log.known.contains(key)) {
                    ahead.add(path + "::" + row.getString(1) + "::" + row.getString(2));
                }
            }
        }
        if (rows == 0) {
            return new SchemaState(SchemaState.Kind.NOT_INSTALLED, log.pending(kind, ran), List.of(), null, null, null);
        }
        String label = tag != null ? tag : SchemaState.applied(rows, "changeset", last);
        if (!ahead.isEmpty()) {
            return new SchemaState(SchemaState.Kind.AHEAD, List.of(), ahead, tag, label, null);
        }
        List<PendingChangeset> pending = log.pending(kind, ran);
        return new SchemaState(pending.isEmpty() ? SchemaState.Kind.CURRENT : SchemaState.Kind.BEHIND, pending,
                List.of(), tag, label, null);
    }

    private static String key(String id, String author, String path) {
        return id + "::" + author + "::" + path;
    }

    /** Parses the changelog the first time it is needed, then never again. */
    private Changelog changelog() throws MigrationException {
        Changelog known = parsed;
        if (known == null) {
            synchronized (this) {
                known = parsed;
                if (known == null) {
                    known = withScope(null, this::parse);
                    parsed = known;
                }
            }
        }
        return known;
    }

    private Changelog parse() throws Exception {
        ClassLoaderResourceAccessor accessor = new ClassLoaderResourceAccessor(resources);
        DatabaseChangeLog log = ChangeLogParserFactory.getInstance().getParser(changelog, accessor)
                .parse(changelog, new ChangeLogParameters(), accessor);
        ContextChangeSetFilter contextFilter = new ContextChangeSetFilter(new Contexts(contexts));
        LabelChangeSetFilter labelFilter = new LabelChangeSetFilter(new LabelExpression(labels));
        List<Known> runnable = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        Set<String> files = new HashSet<>();
        String root = HistoryTable.normalPath(changelog);
        files.add(root);
        for (ChangeSet changeSet : log.getChangeSets()) {
            String path = HistoryTable.normalPath(changeSet.getStoredFilePath());
            files.add(path);
            keys.add(key(changeSet.getId(), changeSet.getAuthor(), path));
            if (!changeSet.isIgnore() && !changeSet.isAlwaysRun()
                    && contextFilter.accepts(changeSet).isAccepted() && labelFilter.accepts(changeSet).isAccepted()) {
                runnable.add(new Known(changeSet, path));
            }
        }
        return new Changelog(runnable, keys, files, root.substring(0, root.lastIndexOf('/') + 1));
    }

    /** The changelog as parsed once: what may run, every changeset's key, and the files they live in. */
    private static final class Changelog {
        final List<Known> runnable;
        final Set<String> known;
        final Set<String> files;
        /** The root changelog's folder, such as {@code db/changelog/}: a later release's new files land there too. */
        final String folder;

        Changelog(List<Known> runnable, Set<String> known, Set<String> files, String folder) {
            this.runnable = runnable;
            this.known = known;
            this.files = files;
            this.folder = folder;
        }

        /** Whether a changeset recorded under {@code path} belongs to this changelog, of this release or another. */
        boolean owns(String path) {
            return files.contains(path) || !folder.isEmpty() && path.startsWith(folder);
        }

        /** @param ran the applied changesets' keys, each with its stored checksum */
        List<PendingChangeset> pending(String databaseKind, Map<String, String> ran) {
            List<PendingChangeset> pending = new ArrayList<>();
            for (Known changeSet : runnable) {
                if (changeSet.runsOn(databaseKind) && changeSet.pending(ran)) {
                    pending.add(changeSet.described);
                }
            }
            return pending;
        }
    }

    /** One changeset that may run, with what deciding needs of it. */
    private static final class Known {
        final ChangeSet changeSet;
        final String key;
        final PendingChangeset described;
        private final Map<Integer, String> checksums = new HashMap<>();

        Known(ChangeSet changeSet, String path) {
            this.changeSet = changeSet;
            this.key = key(changeSet.getId(), changeSet.getAuthor(), path);
            this.described = describe(changeSet);
        }

        boolean runsOn(String databaseKind) {
            // Exactly Liquibase's rule: on MariaDB, a dbms="mysql" changeset does not run.
            return DatabaseList.definitionMatches(changeSet.getDbmsSet(), databaseKind, true);
        }

        boolean pending(Map<String, String> ran) {
            if (!ran.containsKey(key)) {
                return true;
            }
            String stored = ran.get(key);
            return changeSet.isRunOnChange() && stored != null && !stored.equals(checksum(stored));
        }

        /** The changeset's checksum in the version the database stored, computed once per version. */
        private synchronized String checksum(String stored) {
            int version;
            try {
                version = CheckSum.parse(stored).getVersion();
            } catch (RuntimeException e) {
                return stored;
            }
            return checksums.computeIfAbsent(version, v -> {
                ChecksumVersion checksumVersion = ChecksumVersion.enumFromChecksumVersion(v);
                return checksumVersion == null ? stored : changeSet.generateCheckSum(checksumVersion).toString();
            });
        }
    }

    @Override
    public void preview(Connection connection, Writer out) throws MigrationException {
        withLiquibase(connection, null, liquibase -> {
            liquibase.update(new Contexts(contexts), new LabelExpression(labels), out);
            return null;
        });
    }

    @Override
    public void update(Connection connection, UpgradeListener listener) throws MigrationException {
        ProgressReporter progress = new ProgressReporter(listener);
        try (EngineLog heard = EngineLog.listening(listener)) {
            update(connection, listener, progress);
        }
    }

    private void update(Connection connection, UpgradeListener listener, ProgressReporter progress)
            throws MigrationException {
        withLiquibase(connection, progress, liquibase -> {
            List<ChangeSet> unrun = liquibase.listUnrunChangeSets(new Contexts(contexts), new LabelExpression(labels));
            listener.starting(unrun.size());
            liquibase.setChangeExecListener(progress);
            // Liquibase prints its summary to stdout by default; a container's log is where admins look.
            liquibase.setShowSummaryOutput(UpdateSummaryOutputEnum.LOG);
            liquibase.update(new Contexts(contexts), new LabelExpression(labels));
            return null;
        });
    }

    @Override
    public List<String> repair(Connection connection) {
        // Liquibase records only successes: a failed changeset simply runs again.
        return List.of();
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
        String searchPath;
        try {
            autoCommit = connection.getAutoCommit();
            searchPath = defaultSchema == null ? null : searchPath(connection);
        } catch (SQLException e) {
            throw failure(e, null);
        }
        try {
            return withScope(progress, () -> {
                Database database = DatabaseFactory.getInstance()
                        .findCorrectDatabaseImplementation(new JdbcConnection(connection));
                if (defaultSchema != null) {
                    database.setDefaultSchemaName(defaultSchema);
                }
                return work.run(new Liquibase(changelog, new ClassLoaderResourceAccessor(resources), database));
            });
        } finally {
            restoreSearchPath(connection, searchPath);
            restoreAutoCommit(connection, autoCommit);
        }
    }

    /**
     * Where the connection looks for unqualified names: PostgreSQL's {@code search_path}, MySQL's current database.
     * Liquibase's default schema changes it for the session, and a pooled connection must go back as it came.
     */
    private static String searchPath(Connection connection) throws SQLException {
        if (!Dialect.of(connection).postgres()) {
            return connection.getCatalog();
        }
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT current_setting('search_path')")) {
            row.next();
            return row.getString(1);
        }
    }

    private static void restoreSearchPath(Connection connection, String searchPath) {
        if (searchPath == null) {
            return;
        }
        try {
            if (!Dialect.of(connection).postgres()) {
                connection.setCatalog(searchPath);
                return;
            }
            try (PreparedStatement set = connection.prepareStatement("SELECT set_config('search_path', ?, false)")) {
                set.setString(1, searchPath);
                set.execute();
            }
        } catch (SQLException e) {
            // The connection is broken; the pool will discard it.
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
        thread.setContextClassLoader(LiquibaseEngine.class.getClassLoader());
        try {
            return Scope.child(scopeValues(), work);
        } catch (Exception e) {
            throw failure(e, progress == null ? null : progress.failed());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Map<String, Object> scopeValues() {
        Map<String, Object> values = new HashMap<>();
        values.put(Scope.Attr.ui.name(), new LoggerUIService());
        values.put(Scope.Attr.logService.name(), LOG_SERVICE);
        values.put(AnalyticsArgs.ENABLED.getKey(), Boolean.FALSE);
        // No XSD validation of the changelog: it runs in the webapp's JVM, and the JDK's XML Schema code walks
        // UTF-16 strings there (Xerces' regex Token.getRange), which teaches the shared profile of String.charAt
        // a UTF-16 branch that C2 then compiles into the webapp's own string loops for the JVM's lifetime
        // (docs/benchmarks.md, "Pass-through"). Liquibase still parses the changelog and checks every change.
        values.put(GlobalConfiguration.VALIDATE_XML_CHANGELOG_FILES.getKey(), Boolean.FALSE);
        values.put(GlobalConfiguration.CHANGELOGLOCK_WAIT_TIME.getKey(), LIQUIBASE_LOCK_WAIT_MINUTES);
        values.put(GlobalConfiguration.DATABASECHANGELOG_TABLE_NAME.getKey(), table);
        values.put(GlobalConfiguration.DATABASECHANGELOGLOCK_TABLE_NAME.getKey(), lockTable);
        return values;
    }

    private MigrationException failure(Exception e, PendingChangeset failed) {
        String detail = Sql.innermostMessage(e);
        String message = failed == null
                ? "Liquibase failed on changelog " + changelog + ": " + detail
                : "changeset " + failed + " failed: " + detail;
        return new MigrationException(message, failed, detail, e);
    }
}
