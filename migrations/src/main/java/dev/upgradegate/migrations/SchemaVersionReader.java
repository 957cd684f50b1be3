package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a legacy webapp's schema version with the query configured for it ({@code version.query}): the
 * single value of a row where the webapp keeps its version. Webapps without one are judged by their
 * migrations instead ({@link MigrationEngine#inspect}).
 */
public final class SchemaVersionReader {

    /**
     * The plain table names a query reads: after FROM or JOIN, unless qualified by a schema; quoted as MySQL
     * (backticks) or PostgreSQL (double quotes) quotes them, or not.
     */
    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:FROM|JOIN)\\s+[`\"]?([A-Za-z0-9_$]+)[`\"]?(?![.\\w`\"])");

    /**
     * SQLSTATE class of syntax and access errors on MySQL, MariaDB and PostgreSQL alike (42000, 42S22; 42601,
     * 42703, 42883, 42501): the query is wrong, the database is fine.
     */
    private static final String SYNTAX_OR_ACCESS_ERROR = "42";

    private final String versionQuery;
    private final List<String> tables = new ArrayList<>();
    /** Once the tables were seen, the query runs without looking for them first. */
    private volatile boolean tablesSeen;

    /**
     * The database refused the version query itself, or it returned several rows: the setting is wrong, not the
     * database unreachable. Its message names the key.
     */
    public static final class RejectedQuery extends SQLException {
        RejectedQuery(String message, String sqlState, SQLException cause) {
            super(message, sqlState, cause);
        }
    }

    public SchemaVersionReader(String versionQuery) {
        this.versionQuery = versionQuery;
        Matcher table = TABLE.matcher(versionQuery);
        while (table.find()) {
            tables.add(table.group(1));
        }
    }

    public SchemaVersion read(Connection connection) throws SQLException {
        if (!tablesExist(connection)) {
            return SchemaVersion.NOT_INSTALLED;
        }
        try (Statement statement = connection.createStatement();
             ResultSet rows = queried(statement)) {
            if (rows == null || !rows.next()) {
                return SchemaVersion.NOT_INSTALLED;
            }
            String value = rows.getString(1);
            if (rows.next()) {
                throw new RejectedQuery("version.query returned more than one row; it must return a single value",
                        "22000", null);
            }
            return value == null || value.isBlank() ? SchemaVersion.NOT_INSTALLED : SchemaVersion.of(value.trim());
        }
    }

    /**
     * Whether the tables the query names exist, asked first so that the check of a database not installed yet
     * provokes no error, which MariaDB's driver would log at every check.
     */
    private boolean tablesExist(Connection connection) throws SQLException {
        if (tablesSeen) {
            return true;
        }
        for (String table : tables) {
            if (!Sql.tableExists(connection, table)) {
                return false;
            }
        }
        tablesSeen = true;
        return true;
    }

    /** The query's rows, or {@code null} when its table does not exist (any more, or one the look missed). */
    private ResultSet queried(Statement statement) throws SQLException {
        statement.setQueryTimeout(30);
        try {
            return statement.executeQuery(versionQuery);
        } catch (SQLException e) {
            if (Sql.isMissingTable(e)) {
                tablesSeen = false;
                return null;
            }
            if (e.getSQLState() != null && e.getSQLState().startsWith(SYNTAX_OR_ACCESS_ERROR)) {
                throw new RejectedQuery("version.query fails: " + e.getMessage(), e.getSQLState(), e);
            }
            throw e;
        }
    }
}
