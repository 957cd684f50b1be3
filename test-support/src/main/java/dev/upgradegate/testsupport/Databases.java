package dev.upgradegate.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Creating and dropping databases over a server-level JDBC connection. */
final class Databases {

    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final int MAX_PREFIX_LENGTH = 40;

    private Databases() {}

    /**
     * A fresh lower-case name: lower case because lower_case_table_names differs between servers,
     * random because several JVMs (or CI runs) may share one external server.
     */
    static String uniqueName(String prefix) {
        String cleaned = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (cleaned.isEmpty()) {
            cleaned = "db";
        }
        if (cleaned.length() > MAX_PREFIX_LENGTH) {
            cleaned = cleaned.substring(0, MAX_PREFIX_LENGTH);
        }
        return cleaned + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 24);
    }

    static void create(Connection server, String name) throws SQLException {
        boolean postgres = isPostgres(server);
        if (postgres && exists(server, name)) {
            return;
        }
        try (Statement statement = server.createStatement()) {
            statement.execute(postgres ? "CREATE DATABASE " + quoted(server, name)
                    : "CREATE DATABASE IF NOT EXISTS " + quoted(server, name));
        }
    }

    /**
     * Drops a database even if a test left a session in it holding locks, which would otherwise
     * make DROP DATABASE wait for lock_wait_timeout (a year by default).
     */
    static void drop(Connection server, String name) throws SQLException {
        if (isPostgres(server)) {
            // FORCE ends the sessions still connected to it (PostgreSQL 13 and later).
            try (Statement statement = server.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + quoted(server, name) + " WITH (FORCE)");
            }
            return;
        }
        killSessionsUsing(server, name);
        try (Statement statement = server.createStatement()) {
            statement.execute("SET SESSION lock_wait_timeout = 30");
            statement.execute("DROP DATABASE IF EXISTS " + quoted(server, name));
        }
    }

    private static void killSessionsUsing(Connection server, String name) throws SQLException {
        List<Long> sessions = new ArrayList<>();
        try (PreparedStatement query = server.prepareStatement(
                "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sessions.add(rows.getLong(1));
                }
            }
        }
        for (long session : sessions) {
            try (Statement statement = server.createStatement()) {
                statement.execute("KILL " + session);
            } catch (SQLException alreadyGone) {
                // The session ended between the query and the KILL, which is what we wanted.
            }
        }
    }

    private static boolean exists(Connection server, String name) throws SQLException {
        try (PreparedStatement query = server.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    static boolean isPostgres(Connection connection) throws SQLException {
        return "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
    }

    private static String quoted(Connection server, String name) throws SQLException {
        if (!SAFE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("Not a plain database name (letters, digits, _): " + name);
        }
        String quote = server.getMetaData().getIdentifierQuoteString();
        return quote + name + quote;
    }
}
