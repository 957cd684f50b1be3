package dev.upgradegate.migrations;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.zip.CRC32;

/**
 * PostgreSQL: named locks are session-level advisory locks, keyed by a number; the schema is the connection's
 * current schema ({@code currentSchema} in the URL, else the first of {@code search_path} that exists).
 */
final class PostgresDialect extends Dialect {

    /** The advisory lock key's upper half, so that our keys stay clear of an application's own small ones. */
    private static final long KEY_SPACE = 0x55475400L << 32;

    @Override
    public boolean postgres() {
        return true;
    }

    @Override
    public String currentSchema() {
        return "current_schema()";
    }

    @Override
    public String schemaName(Connection connection) throws SQLException {
        return connection.getCatalog() + "." + connection.getSchema();
    }

    @Override
    public String joined(String column) {
        return "string_agg(" + column + ", ',')";
    }

    @Override
    public String timestampType() {
        // With the time zone, so that sessions with different TimeZone settings read the same instant.
        return "TIMESTAMP(3) WITH TIME ZONE";
    }

    @Override
    public String now() {
        // clock_timestamp(), not now(): inside a transaction now() stands still at its start.
        return "clock_timestamp()";
    }

    @Override
    public String secondsSince(String column) {
        return "CAST(EXTRACT(EPOCH FROM (clock_timestamp() - " + column + ")) AS BIGINT)";
    }

    @Override
    public String secondsAgo() {
        return "clock_timestamp() - make_interval(secs => ?)";
    }

    @Override
    String onConflict(String key) {
        return "ON CONFLICT (" + key + ") DO UPDATE SET ";
    }

    @Override
    String column(String column) {
        return column + " = EXCLUDED." + column;
    }

    @Override
    public String tryLock() {
        return "SELECT pg_try_advisory_lock(?)";
    }

    @Override
    public String unlock() {
        return "SELECT pg_advisory_unlock(?)";
    }

    @Override
    public String lockHolder() {
        // A bigint key shows in pg_locks as its two halves, classid and objid, with objsubid 1.
        return "(SELECT MIN(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
                + " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                + " AND (classid::bigint << 32 | objid::bigint) = ?)";
    }

    @Override
    public void bindLock(PreparedStatement statement, int index, String name) throws SQLException {
        statement.setLong(index, key(name));
    }

    /** The advisory lock's key for a lock name: stable across processes and versions. */
    static long key(String name) {
        CRC32 crc = new CRC32();
        crc.update(name.getBytes(StandardCharsets.UTF_8));
        return KEY_SPACE | crc.getValue();
    }

    @Override
    public boolean namedLocksNodeLocal(Connection connection) {
        return false;
    }

    @Override
    public void killSession(Statement statement, long session) throws SQLException {
        statement.execute("SELECT pg_terminate_backend(" + session + ")");
    }
}
