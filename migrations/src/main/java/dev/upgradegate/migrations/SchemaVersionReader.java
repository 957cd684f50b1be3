package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads a legacy webapp's schema version with the query configured for it ({@code version.query}): the
 * single value of a row where the webapp keeps its version. Webapps without one are judged by their
 * migrations instead ({@link MigrationEngine#inspect}).
 */
public final class SchemaVersionReader {

    private final String versionQuery;

    public SchemaVersionReader(String versionQuery) {
        this.versionQuery = versionQuery;
    }

    public SchemaVersion read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = queried(statement)) {
            if (rows == null || !rows.next()) {
                return SchemaVersion.NOT_INSTALLED;
            }
            String value = rows.getString(1);
            if (rows.next()) {
                throw new SQLException("version.query returned more than one row; it must return a single value",
                        "22000");
            }
            return value == null || value.isBlank() ? SchemaVersion.NOT_INSTALLED : SchemaVersion.of(value.trim());
        }
    }

    /** The query's rows, or {@code null} when its table does not exist yet: nothing is installed. */
    private ResultSet queried(Statement statement) throws SQLException {
        statement.setQueryTimeout(30);
        try {
            return statement.executeQuery(versionQuery);
        } catch (SQLException e) {
            if (Sql.isMissingTable(e)) {
                return null;
            }
            throw e;
        }
    }
}
