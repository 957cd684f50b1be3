package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/** What UpgradeGate needs to know of a database's dialect and errors, in one place. */
public final class Sql {

    /** SQLSTATE for a table that does not exist: MySQL and MariaDB (error 1146). */
    static final String NO_SUCH_TABLE = "42S02";
    /** The same on PostgreSQL. */
    private static final String NO_SUCH_TABLE_PG = "42P01";

    private Sql() {
    }

    /**
     * Whether the connection's schema has the table. Asked before reading a table that may not exist yet, because
     * a query of a missing table is an error that MariaDB's driver logs as a warning, every time.
     */
    public static boolean tableExists(Connection connection, String table) throws SQLException {
        return tableExists(connection, null, table);
    }

    /** Whether {@code schema} has the table; {@code null} means the connection's schema. */
    public static boolean tableExists(Connection connection, String schema, String table) throws SQLException {
        // As written and in lower case (lower_case_table_names, PostgreSQL's folding): the server looks both names up, scanning nothing.
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM information_schema.TABLES"
                + " WHERE TABLE_SCHEMA = " + (schema == null ? Dialect.of(connection).currentSchema() : "?")
                + " AND TABLE_NAME IN (?, ?)")) {
            int next = 1;
            if (schema != null) {
                // Unquoted, as the settings name it: PostgreSQL folds it to lower case.
                exists.setString(next++, Dialect.of(connection).postgres() ? schema.toLowerCase(Locale.ROOT) : schema);
            }
            exists.setString(next++, table);
            exists.setString(next, table.toLowerCase(Locale.ROOT));
            try (ResultSet found = exists.executeQuery()) {
                return found.next();
            }
        }
    }

    /**
     * Whether {@code e} says that another session's write won: a duplicate key (MySQL's 23000, PostgreSQL's 23505),
     * a deadlock or serialization failure (40001, PostgreSQL's 40P01), which is also how Galera reports a write that
     * lost certification to another node's.
     */
    public static boolean isLostRace(SQLException e) {
        String state = String.valueOf(e.getSQLState());
        return state.equals("23000") || state.equals("23505") || state.equals("40001") || state.equals("40P01");
    }

    /** Whether {@code e} says that a table does not exist. */
    public static boolean isMissingTable(SQLException e) {
        return NO_SUCH_TABLE.equals(e.getSQLState()) || NO_SUCH_TABLE_PG.equals(e.getSQLState());
    }

    /**
     * The database's kind as Liquibase's {@code dbms} attribute names it: {@code mariadb}, {@code mysql},
     * {@code postgresql}, or the product's name in lower case. Connector/J calls MariaDB "MySQL", but its
     * version says the truth, which is how Liquibase tells them apart too.
     */
    public static String kind(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String product = String.valueOf(meta.getDatabaseProductName()).toLowerCase(Locale.ROOT);
        String version = String.valueOf(meta.getDatabaseProductVersion()).toLowerCase(Locale.ROOT);
        if (product.contains("mariadb") || version.contains("mariadb")) {
            return "mariadb";
        }
        if (product.contains("mysql")) {
            return "mysql";
        }
        if (product.contains("postgres")) {
            return "postgresql";
        }
        return product;
    }

    /** The database's own words where there are some, else the deepest message in the chain. */
    public static String innermostMessage(Throwable e) {
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

    /** Whether a database error lies under {@code e}: the database failed, not the migrations. */
    public static boolean causedBySql(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
