package dev.upgradegate.migrations;

import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/**
 * A webapp's migrations, as its bundle carries them (a Liquibase changelog or Flyway scripts), and what
 * they say about a database. The bundle is read once per engine, never per check; every call uses the
 * connection it is given and leaves closing it to the caller.
 */
public interface MigrationEngine {

    /**
     * Liquibase's name in settings and the status. Not a literal: UpgradeGate's jars relocate Liquibase,
     * and with it every string literal that starts with its package name, such as {@code liquibase.table}.
     */
    String LIQUIBASE = "LIQUIBASE".toLowerCase(Locale.ROOT);
    /** Flyway's name in settings and the status. */
    String FLYWAY = "flyway";

    /** {@link #LIQUIBASE} or {@link #FLYWAY}. */
    String name();

    /** Where the bundle's migrations are: the changelog, or Flyway's locations. */
    String location();

    /** The table where the engine records what ran. */
    HistoryTable history();

    /**
     * Compares the bundle's migrations with what the database has applied. Read-only: it creates no
     * table, so it never races an upgrade for them.
     */
    default SchemaState inspect(Connection connection) throws SQLException, MigrationException {
        return inspect(connection, history().fingerprint(connection));
    }

    /**
     * As {@link #inspect(Connection)}, with the history's fingerprint already read (by {@link StateProbe}):
     * the history's rows are read only if it changed since the last call.
     *
     * @param fingerprint {@code null} when the history table does not exist
     */
    SchemaState inspect(Connection connection, HistoryTable.Fingerprint fingerprint)
            throws SQLException, MigrationException;

    /** Runs every pending migration, telling {@code listener} as it goes. */
    void update(Connection connection, UpgradeListener listener) throws MigrationException;

    /** Writes the SQL an upgrade would run, without running it or changing anything. */
    void preview(Connection connection, Writer out) throws MigrationException;

    /** The engine's own lock, which a killed run leaves behind. */
    LeftLock leftLock();

    /**
     * Removes the records of failed migrations, so that a fixed bundle runs them again; nothing else.
     *
     * @return the scripts whose records were removed; empty where the engine records no failures
     */
    List<String> repair(Connection connection) throws SQLException;
}
