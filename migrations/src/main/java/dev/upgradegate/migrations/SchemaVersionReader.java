package dev.upgradegate.migrations;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads a schema's version: by default the newest Liquibase tag applied, or the single value of a
 * query configured for legacy webapps that keep their version in a row.
 */
public final class SchemaVersionReader {

    static final String NEWEST_TAG =
            "SELECT TAG FROM DATABASECHANGELOG WHERE TAG IS NOT NULL ORDER BY ORDEREXECUTED DESC LIMIT 1";
    static final String ANY_CHANGESET = "SELECT 1 FROM DATABASECHANGELOG LIMIT 1";

    /** SQLSTATE for a table that does not exist (MySQL and MariaDB error 1146). */
    static final String NO_SUCH_TABLE = "42S02";

    private final String versionQuery;

    /** @param versionQuery the legacy query, or {@code null} to read the newest Liquibase tag */
    public SchemaVersionReader(String versionQuery) {
        this.versionQuery = versionQuery;
    }

    public SchemaVersion read(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(30);
            return versionQuery == null ? readTag(statement) : readQuery(statement);
        } catch (SQLException e) {
            if (NO_SUCH_TABLE.equals(e.getSQLState())) {
                return SchemaVersion.NOT_INSTALLED;
            }
            throw e;
        }
    }

    private static SchemaVersion readTag(Statement statement) throws SQLException {
        try (ResultSet tag = statement.executeQuery(NEWEST_TAG)) {
            if (tag.next()) {
                return SchemaVersion.of(tag.getString(1).trim());
            }
        }
        try (ResultSet any = statement.executeQuery(ANY_CHANGESET)) {
            return any.next() ? SchemaVersion.UNTAGGED : SchemaVersion.NOT_INSTALLED;
        }
    }

    private SchemaVersion readQuery(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery(versionQuery)) {
            if (!rows.next()) {
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
}
