package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** MySQL and MariaDB: named locks are GET_LOCK's, the schema is the catalog. */
final class MySqlDialect extends Dialect {

    @Override
    public boolean postgres() {
        return false;
    }

    @Override
    public String currentSchema() {
        return "DATABASE()";
    }

    @Override
    public String schemaName(Connection connection) throws SQLException {
        return connection.getCatalog();
    }

    @Override
    public String joined(String column) {
        return "GROUP_CONCAT(" + column + ")";
    }

    @Override
    public String timestampType() {
        return "DATETIME(3)";
    }

    @Override
    public String now() {
        return "NOW(3)";
    }

    @Override
    public String secondsSince(String column) {
        return "TIMESTAMPDIFF(SECOND, " + column + ", NOW(3))";
    }

    @Override
    public String secondsAgo() {
        return "NOW() - INTERVAL ? SECOND";
    }

    @Override
    String onConflict(String key) {
        return "ON DUPLICATE KEY UPDATE ";
    }

    @Override
    String column(String column) {
        return column + " = VALUES(" + column + ")";
    }

    @Override
    public String tryLock() {
        return "SELECT GET_LOCK(?, 0)";
    }

    @Override
    public String unlock() {
        return "SELECT RELEASE_LOCK(?)";
    }

    @Override
    public String lockHolder() {
        return "IS_USED_LOCK(?)";
    }

    @Override
    public void bindLock(PreparedStatement statement, int index, String name) throws SQLException {
        statement.setString(index, name);
    }

    @Override
    public boolean namedLocksNodeLocal(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet wsrep = statement.executeQuery("SHOW VARIABLES LIKE 'wsrep_on'")) {
            return wsrep.next() && "ON".equalsIgnoreCase(wsrep.getString(2));
        }
    }

    @Override
    public void killSession(Statement statement, long session) throws SQLException {
        statement.execute("KILL " + session);
    }
}
