package dev.upgradegate.migrations;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.migration.JavaMigration;
import org.flywaydb.core.api.resource.LoadableResource;
import org.flywaydb.core.internal.scanner.LocationScannerCache;
import org.flywaydb.core.internal.scanner.ResourceNameCache;
import org.flywaydb.core.internal.scanner.Scanner;

/**
 * A webapp's Flyway migrations, read from its class path ({@code db/migration} by default). The scripts
 * are scanned once; whether the database is behind, ahead or failed is Flyway's own verdict
 * ({@code info()}), asked again only when the history table changed.
 */
public final class FlywayEngine implements MigrationEngine {

    /** The baseline of a schema that has only UpgradeGate's tables: below every migration a webapp numbers. */
    private static final MigrationVersion BEFORE_EVERY_MIGRATION = MigrationVersion.fromVersion("0");

    /** Flyway's naming of a Java migration class: V2__Add_tags, V2_1__X, R__Refresh_view. */
    private static final Pattern JAVA_MIGRATION = Pattern.compile("(V[0-9][0-9._]*|R)__[^$]*\\.class");

    private final List<String> locations;
    private final ClassLoader resources;
    private final String table;
    private final List<String> schemas;
    private final HistoryTable history;
    private volatile Scanner<JavaMigration> scanner;
    private volatile SchemaState empty;

    /**
     * @param locations Flyway locations in the class path, e.g. {@code db/migration}
     * @param resources the class loader that sees them (the webapp's)
     * @param table the history table, e.g. {@code flyway_schema_history}
     * @param schemas the schemas Flyway manages (its {@code schemas}), the first holding the history; empty for the
     *        connection's current schema
     */
    public FlywayEngine(List<String> locations, ClassLoader resources, String table, List<String> schemas) {
        this.locations = List.copyOf(locations);
        this.resources = resources;
        this.table = table;
        this.schemas = List.copyOf(schemas);
        this.history = new HistoryTable(schemas.isEmpty() ? null : schemas.get(0), table, "installed_rank",
                "installed_on");
    }

    /** In the connection's current schema. */
    public FlywayEngine(List<String> locations, ClassLoader resources, String table) {
        this(locations, resources, table, List.of());
    }

    @Override
    public String name() {
        return FLYWAY;
    }

    @Override
    public String location() {
        return String.join(", ", locations);
    }

    @Override
    public LeftLock leftLock() {
        // Flyway locks MySQL and MariaDB with a named lock, PostgreSQL with an advisory lock: both die with their
        // session, and Flyway has no lock table to leave behind.
        return LeftLock.NONE;
    }

    @Override
    public HistoryTable history() {
        return history;
    }

    @Override
    public SchemaState inspect(Connection connection, HistoryTable.Fingerprint fingerprint)
            throws SQLException, MigrationException {
        SchemaState state = history.inspect(connection, fingerprint, (c, rows, last) -> judge(c));
        if (state != null) {
            return state;
        }
        // Nothing applied yet: what would run depends on the bundle only, so work it out once.
        SchemaState fresh = empty;
        if (fresh == null) {
            fresh = judge(connection);
            empty = fresh;
        }
        return fresh;
    }

    private SchemaState judge(Connection connection) throws MigrationException {
        refuseJavaMigrations();
        MigrationInfo[] all = run(connection, null, flyway -> flyway.info().all());
        List<PendingChangeset> pending = new ArrayList<>();
        List<String> ahead = new ArrayList<>();
        PendingChangeset failed = null;
        int applied = 0;
        boolean history = false;
        Instant last = null;
        MigrationInfo current = null;
        for (MigrationInfo info : all) {
            MigrationState state = info.getState();
            if (state == MigrationState.PENDING || state == MigrationState.IGNORED) {
                pending.add(describe(info));
            }
            if (state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED) {
                ahead.add(name(info));
            }
            if (state.isApplied()) {
                history = true;
                if (state.isFailed()) {
                    failed = describe(info);
                } else {
                    // A baseline row stands for migrations that ran before Flyway, or for none (see update).
                    applied += info.getType().isBaseline() ? 0 : 1;
                    if (info.getVersion() != null) {
                        current = info;
                    }
                }
                Instant on = info.getInstalledOn() == null ? null : info.getInstalledOn().toInstant();
                last = last == null || on != null && on.isAfter(last) ? on : last;
            }
        }
        if (!history) {
            return new SchemaState(SchemaState.Kind.NOT_INSTALLED, pending, List.of(), null, null, null);
        }
        String label = (current == null ? "" : "version " + current.getVersion() + ", ")
                + SchemaState.applied(applied, "migration", last);
        SchemaState.Kind kind = failed != null ? SchemaState.Kind.FAILED
                : !ahead.isEmpty() ? SchemaState.Kind.AHEAD
                : pending.isEmpty() ? SchemaState.Kind.CURRENT : SchemaState.Kind.BEHIND;
        if (failed != null) {
            // What a repaired history runs first: the migration that failed.
            pending.add(0, failed);
        }
        return new SchemaState(kind, kind == SchemaState.Kind.AHEAD ? List.of() : pending, ahead, null, label, failed);
    }

    /**
     * UpgradeGate's Flyway is relocated, so it cannot see classes that implement the webapp's own Flyway's
     * JavaMigration: it would take a bundle with a pending Java migration for current. Better to say so than to
     * let the new code meet the old schema.
     */
    private void refuseJavaMigrations() throws MigrationException {
        List<String> classes = new ArrayList<>();
        for (String prefix : new String[] {"V", "R"}) {
            for (LoadableResource resource : scanner().getResources(prefix, ".class")) {
                if (JAVA_MIGRATION.matcher(resource.getFilename()).matches()) {
                    classes.add(resource.getRelativePath());
                }
            }
        }
        if (!classes.isEmpty()) {
            String message = "the bundle has Flyway Java migrations (" + String.join(", ", classes) + " in "
                    + location() + "), which UpgradeGate cannot run or see; only SQL migrations are supported";
            throw new MigrationException(message, null, message, null);
        }
    }

    private static String name(MigrationInfo info) {
        return (info.getVersion() == null ? "repeatable" : "version " + info.getVersion()) + " ("
                + info.getScript() + ")";
    }

    private static PendingChangeset describe(MigrationInfo info) {
        String id = info.getVersion() == null ? "R" : info.getVersion().getVersion();
        return new PendingChangeset(id, info.getDescription(), info.getScript());
    }

    @Override
    public void update(Connection connection, UpgradeListener listener) throws MigrationException {
        try (EngineLog heard = EngineLog.listening(listener)) {
            migrate(connection, listener);
        }
    }

    private void migrate(Connection connection, UpgradeListener listener) throws MigrationException {
        Progress progress = new Progress(listener);
        boolean fresh;
        try {
            fresh = onlyUpgradeGateTables(connection, history.schema());
        } catch (SQLException e) {
            throw new MigrationException("cannot look at the schema: " + e.getMessage(), null, e.getMessage(), e);
        }
        run(connection, progress, flyway -> {
            MigrationInfo[] pending = flyway.info().pending();
            listener.starting(pending.length);
            if (fresh && (pending.length == 0 || pending[0].getVersion() == null
                    || pending[0].getVersion().compareTo(BEFORE_EVERY_MIGRATION) > 0)) {
                // Flyway refuses a schema with tables but no history of its own, and the upgrade lease has just
                // made one: a baseline below every migration tells Flyway that nothing of the webapp's ran yet.
                flyway = Flyway.configure(resources).configuration(flyway.getConfiguration())
                        .baselineOnMigrate(true).baselineVersion(BEFORE_EVERY_MIGRATION)
                        .baselineDescription("<< empty schema but for the UpgradeGate tables >>").load();
            }
            flyway.migrate();
            return null;
        });
    }

    /**
     * Whether the schema (Flyway's first, {@code null} for the connection's) has no tables but UpgradeGate's own: no
     * history, and nothing of the webapp. UPPER because PostgreSQL folds UpgradeGate's names to lower case.
     */
    private static boolean onlyUpgradeGateTables(Connection connection, String schema) throws SQLException {
        Dialect dialect = Dialect.of(connection);
        try (PreparedStatement count = connection.prepareStatement("SELECT COUNT(*) FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = " + (schema == null ? dialect.currentSchema() : "?")
                + " AND UPPER(TABLE_NAME) NOT LIKE 'UPGRADEGATE\\_%'")) {
            if (schema != null) {
                count.setString(1, dialect.postgres() ? schema.toLowerCase(Locale.ROOT) : schema);
            }
            try (ResultSet row = count.executeQuery()) {
                row.next();
                return row.getInt(1) == 0;
            }
        }
    }

    @Override
    public void preview(Connection connection, Writer out) throws MigrationException {
        MigrationInfo[] pending = run(connection, null, flyway -> flyway.info().pending());
        Map<String, LoadableResource> scripts = new HashMap<>();
        for (LoadableResource resource : scanner().getResources("", ".sql")) {
            scripts.put(resource.getRelativePath(), resource);
            scripts.putIfAbsent(resource.getFilename(), resource);
        }
        try {
            out.write("-- Flyway migrations to run, in order, from " + location() + "\n");
            for (MigrationInfo info : pending) {
                out.write("\n-- " + name(info) + ": " + info.getDescription() + "\n");
                LoadableResource script = scripts.get(info.getScript());
                if (script == null) {
                    out.write("-- a Java migration: its SQL is known only when it runs\n");
                    continue;
                }
                try (Reader text = script.read()) {
                    text.transferTo(out);
                }
                out.write("\n");
            }
        } catch (IOException e) {
            throw new MigrationException("cannot write the Flyway preview: " + e.getMessage(), null,
                    e.getMessage(), e);
        }
    }

    @Override
    public List<String> repair(Connection connection) throws SQLException {
        List<String> scripts = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT script FROM " + history.qualified() + " WHERE NOT success")) {
            while (rows.next()) {
                scripts.add(rows.getString(1));
            }
        }
        if (!scripts.isEmpty()) {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + history.qualified()
                    + " WHERE NOT success")) {
                delete.executeUpdate();
            }
        }
        return scripts;
    }

    private interface FlywayWork<T> {
        T run(Flyway flyway);
    }

    private <T> T run(Connection connection, Progress progress, FlywayWork<T> work) throws MigrationException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(FlywayEngine.class.getClassLoader());
        try {
            Scanner<JavaMigration> scanned = scanner();
            Flyway flyway = Flyway.configure(resources)
                    .dataSource(new OneConnection(connection))
                    .locations(locations.toArray(new String[0]))
                    .table(table)
                    .schemas(schemas.toArray(new String[0]))
                    .resourceProvider(scanned)
                    .javaMigrationClassProvider(scanned)
                    .cleanDisabled(true)
                    .loggers(FlywayLog.class.getName())
                    .callbacks(progress == null ? new Callback[0] : new Callback[] {progress})
                    .load();
            return work.run(flyway);
        } catch (RuntimeException e) {
            PendingChangeset failed = progress == null ? null : progress.current;
            String detail = Sql.innermostMessage(e);
            throw new MigrationException(failed == null ? "Flyway failed on " + location() + ": " + detail
                    : "migration " + failed.file() + " failed: " + detail, failed, detail, e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Scans the locations the first time it is needed, then never again. */
    private Scanner<JavaMigration> scanner() {
        Scanner<JavaMigration> known = scanner;
        if (known == null) {
            synchronized (this) {
                known = scanner;
                if (known == null) {
                    List<Location> where = new ArrayList<>();
                    for (String location : locations) {
                        where.add(new Location(location));
                    }
                    known = new Scanner<>(JavaMigration.class, where, resources, StandardCharsets.UTF_8, false, false,
                            new ResourceNameCache(), new LocationScannerCache(), false);
                    scanner = known;
                }
            }
        }
        return known;
    }

    /** Flyway's per-migration callbacks as numbered progress, remembering the one running. */
    private static final class Progress implements Callback {
        private final UpgradeListener listener;
        private int number;
        private volatile PendingChangeset current;

        Progress(UpgradeListener listener) {
            this.listener = listener;
        }

        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            PendingChangeset migration = describe(context.getMigrationInfo());
            if (event == Event.BEFORE_EACH_MIGRATE) {
                current = migration;
                listener.changesetStarting(++number, migration);
            } else {
                listener.changesetDone(number, migration);
            }
        }

        @Override
        public String getCallbackName() {
            return "upgradegate-progress";
        }
    }

    /**
     * The caller's connection as a DataSource: Flyway may ask for it more than once and closes what it
     * gets, but the connection belongs to the caller.
     */
    private static final class OneConnection implements javax.sql.DataSource {
        private final Connection connection;

        OneConnection(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Connection getConnection() {
            return (Connection) Proxy.newProxyInstance(FlywayEngine.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        if (method.getName().equals("close") && method.getParameterCount() == 0) {
                            return null;
                        }
                        try {
                            return method.invoke(connection, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) {
            return getConnection();
        }

        @Override
        public java.io.PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(java.io.PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getLogger("dev.upgradegate");
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
