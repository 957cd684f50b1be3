package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The background check's one round trip: the upgrade lease, the history's fingerprint and one row of a
 * table of the caller's (manual maintenance), in a single SELECT. A table that does not exist yet is left
 * out, so that a check never provokes the driver's "table doesn't exist" error; while one is missing, the
 * same SELECT asks information_schema whether it appeared, and the next one reads it.
 */
public final class StateProbe {

    private final HistoryTable history;
    private final String rowTable;
    private final String rowKey;
    private final List<String> rowColumns;
    private final int staleSeconds;
    /** The database's dialect, whether its named locks are node-local and the lock's name: found on the first read. */
    private volatile Dialect dialect;
    private volatile boolean nodeLocal;
    private volatile String lockName;
    /** The tables known to exist, in upper case; {@code null} until the first look. */
    private volatile Set<String> present;

    /**
     * @param rowTable a table with one row per key, such as {@code UPGRADEGATE_MAINTENANCE}
     * @param rowKey its key column; {@link Result#row()} is {@code null} when the key has no row
     * @param rowColumns the columns to read of it
     * @param staleSeconds how long a silent lease of another cluster node counts as alive (see {@link UpgradeLock})
     */
    public StateProbe(HistoryTable history, String rowTable, String rowKey, List<String> rowColumns, int staleSeconds) {
        this.history = history;
        this.rowTable = rowTable;
        this.rowKey = rowKey;
        this.rowColumns = List.copyOf(rowColumns);
        this.staleSeconds = staleSeconds;
    }

    /** What one probe read. */
    public static final class Result {
        private final LockInfo lock;
        private final HistoryTable.Fingerprint fingerprint;
        private final Object[] row;

        Result(LockInfo lock, HistoryTable.Fingerprint fingerprint, Object[] row) {
            this.lock = lock;
            this.fingerprint = fingerprint;
            this.row = row;
        }

        public LockInfo lock() {
            return lock;
        }

        /** The history's fingerprint, or {@code null} when it has no table yet. */
        public HistoryTable.Fingerprint fingerprint() {
            return fingerprint;
        }

        /** The row's values in the order of the columns asked for, or {@code null} when there is none. */
        public Object[] row() {
            return row == null ? null : row.clone();
        }
    }

    /** @param key the key of the caller's row */
    public Result read(Connection connection, String key) throws SQLException {
        if (dialect == null) {
            Dialect found = Dialect.of(connection);
            nodeLocal = found.namedLocksNodeLocal(connection);
            lockName = UpgradeLock.nameFor(connection);
            dialect = found;
        }
        for (int attempt = 1; ; attempt++) {
            Set<String> known = present;
            Set<String> assumed = known == null ? Set.of() : known;
            try (PreparedStatement probe = connection.prepareStatement(sql(assumed))) {
                dialect.bindLock(probe, 1, lockName);
                if (assumed.contains(upper(rowTable))) {
                    probe.setString(2, key);
                }
                try (ResultSet row = probe.executeQuery()) {
                    row.next();
                    int width = 5 + 3 + 1 + rowColumns.size();
                    Set<String> found = new HashSet<>(assumed);
                    String appeared = row.getString(width + 1);
                    if (appeared != null) {
                        for (String table : appeared.split(",")) {
                            found.add(upper(table));
                        }
                    }
                    present = found;
                    if (!found.equals(assumed) && attempt < 3) {
                        continue;
                    }
                    return result(connection, row, assumed);
                }
            } catch (SQLException e) {
                // Galera aborts a read that meets a replicated DDL with a deadlock error: a new read is fine.
                if (Sql.isLostRace(e) && attempt < 3) {
                    continue;
                }
                // A table we knew of is gone (dropped by hand, a restored backup): look again, from scratch.
                if (!Sql.isMissingTable(e) || attempt >= 3) {
                    throw e;
                }
                present = null;
            }
        }
    }

    private Result result(Connection connection, ResultSet row, Set<String> assumed) throws SQLException {
        LockInfo lock = LockInfo.read(row, 1, nodeLocal, staleSeconds);
        // A history in a schema of the webapp's own (liquibase.defaultSchema, flyway.schemas) is read on its own:
        // the look for missing tables asks the connection's schema only.
        HistoryTable.Fingerprint fingerprint = history.schema() != null ? history.fingerprint(connection)
                : assumed.contains(upper(history.table())) ? HistoryTable.read(row, 6) : null;
        Object[] values = null;
        if (row.getObject(9) != null) {
            values = new Object[rowColumns.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getObject(10 + i);
            }
        }
        return new Result(lock, fingerprint, values);
    }

    private String sql(Set<String> assumed) {
        List<String> missing = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT ");
        if (assumed.contains(upper(UpgradeLock.TABLE))) {
            sql.append(UpgradeLock.columns(dialect));
        } else {
            sql.append(UpgradeLock.columnsWithoutTable(dialect));
            missing.add(UpgradeLock.TABLE);
        }
        boolean fingerprint = history.schema() == null && assumed.contains(upper(history.table()));
        if (fingerprint) {
            sql.append(", ").append(HistoryTable.columns());
        } else {
            sql.append(", NULL, NULL, NULL");
            if (history.schema() == null) {
                missing.add(history.table());
            }
        }
        boolean rows = assumed.contains(upper(rowTable));
        if (rows) {
            sql.append(", r.").append(rowKey);
            for (String column : rowColumns) {
                sql.append(", r.").append(column);
            }
        } else {
            sql.append(", NULL").append(", NULL".repeat(rowColumns.size()));
            missing.add(rowTable);
        }
        if (missing.isEmpty()) {
            sql.append(", NULL");
        } else {
            // The names are constants or validated settings: plain identifiers, safe to quote as literals. Each is
            // asked for as written and in lower case (lower_case_table_names; PostgreSQL's folding), so that the server looks the names
            // up rather than scanning every table of the schema.
            sql.append(", (SELECT ").append(dialect.joined("TABLE_NAME")).append(" FROM information_schema.TABLES")
                    .append(" WHERE TABLE_SCHEMA = ").append(dialect.currentSchema()).append(" AND TABLE_NAME IN (");
            for (int i = 0; i < missing.size(); i++) {
                String table = missing.get(i);
                sql.append(i == 0 ? "'" : ", '").append(table).append("', '").append(table.toLowerCase(Locale.ROOT))
                        .append('\'');
            }
            sql.append("))");
        }
        sql.append(" FROM (SELECT 1 AS one) d");
        if (assumed.contains(upper(UpgradeLock.TABLE))) {
            sql.append(UpgradeLock.join());
        }
        if (fingerprint) {
            sql.append(history.join());
        }
        if (rows) {
            sql.append(" LEFT JOIN ").append(rowTable).append(" r ON r.").append(rowKey).append(" = ?");
        }
        return sql.toString();
    }

    private static String upper(String table) {
        return table.toUpperCase(Locale.ROOT);
    }
}
