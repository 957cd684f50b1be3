package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The SQL that differs between the databases UpgradeGate supports, in one place: MySQL and MariaDB
 * ({@link #MYSQL}), PostgreSQL ({@link #POSTGRESQL}). The kind is found from the connection, never configured.
 */
public abstract class Dialect {

    public static final Dialect MYSQL = new MySqlDialect();
    public static final Dialect POSTGRESQL = new PostgresDialect();

    Dialect() {
    }

    /** The dialect of the connection's database; MySQL's for MySQL, MariaDB and anything else that is not PostgreSQL. */
    public static Dialect of(Connection connection) throws SQLException {
        return "postgresql".equals(Sql.kind(connection)) ? POSTGRESQL : MYSQL;
    }

    /** Whether this is PostgreSQL's. */
    public abstract boolean postgres();

    /** An expression for the schema the connection works in: {@code DATABASE()}, {@code current_schema()}. */
    public abstract String currentSchema();

    /** The schema the connection works in, as UpgradeGate names it in logs and lock names. */
    public abstract String schemaName(Connection connection) throws SQLException;

    /** An aggregate of {@code column}'s values as one comma-separated string. */
    public abstract String joined(String column);

    /** A column type for an instant with milliseconds. */
    public abstract String timestampType();

    /** The database's clock, as {@link #timestampType()}. */
    public abstract String now();

    /** Whole seconds from {@code column} (a {@link #timestampType()}) to {@link #now()}. */
    public abstract String secondsSince(String column);

    /** The instant {@code ?} seconds before {@link #now()}; its parameter is the number of seconds. */
    public abstract String secondsAgo();

    /** An INSERT of {@code key} and {@code columns} (parameters in that order) that replaces the row of an existing key. */
    public final String upsert(String table, String key, List<String> columns) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(key);
        columns.forEach(column -> sql.append(", ").append(column));
        sql.append(") VALUES (?").append(", ?".repeat(columns.size())).append(") ").append(onConflict(key));
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(column(columns.get(i)));
        }
        return sql.toString();
    }

    /** What an INSERT says to replace the row of an existing {@code key}, up to its list of assignments. */
    abstract String onConflict(String key);

    /** One assignment of that list: {@code column} takes the value the INSERT gave it. */
    abstract String column(String column);

    // The named lock: held by a session, visible to every other session on the server, gone with its session.

    /** A SELECT whose one column is true (or 1) when the named lock, the parameter, was taken without waiting. */
    public abstract String tryLock();

    /** A statement that releases the named lock, the parameter, held by this session. */
    public abstract String unlock();

    /** An expression: the session id of the named lock's holder (the parameter), or NULL when it is free. */
    public abstract String lockHolder();

    /** Binds the named lock {@code name} as parameter {@code index} of {@link #tryLock()}, {@link #unlock()} or {@link #lockHolder()}. */
    public abstract void bindLock(PreparedStatement statement, int index, String name) throws SQLException;

    /**
     * Whether a named lock is seen only by the sessions of one node, as on a Galera cluster, where other nodes'
     * upgrades are known by their lease's heartbeat alone.
     */
    public abstract boolean namedLocksNodeLocal(Connection connection) throws SQLException;

    /** Ends another session, as an administrator's release of a hung lock holder does. */
    public abstract void killSession(Statement statement, long session) throws SQLException;
}
