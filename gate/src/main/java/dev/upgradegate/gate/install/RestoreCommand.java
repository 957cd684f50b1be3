package dev.upgradegate.gate.install;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.upgradegate.migrations.backup.PgTarget;

/**
 * The shell command a backup's page shows to restore it, with the database's own client. It asks for the password
 * itself: one on a command line would be kept in the shell's history and shown to every local user.
 */
final class RestoreCommand {

    private static final Pattern HOST_PORT = Pattern.compile("//(\\[[^]]+]|[^/:?,]+)(?::(\\d+))?");

    private RestoreCommand() {
    }

    /** Restores {@code file} into {@code schema} with the mysql client. */
    static String mysql(Connection connection, Path file, String schema) throws SQLException {
        StringBuilder command = gunzip(file).append(" | mysql");
        Matcher hostPort = HOST_PORT.matcher(String.valueOf(connection.getMetaData().getURL()));
        if (hostPort.find()) {
            command.append(" -h ").append(shell(hostPort.group(1).replaceAll("[\\[\\]]", "")));
            if (hostPort.group(2) != null) {
                command.append(" -P ").append(hostPort.group(2));
            }
        }
        String user = connection.getMetaData().getUserName();
        if (user != null && !user.isEmpty()) {
            int at = user.indexOf('@');
            command.append(" -u ").append(shell(at > 0 ? user.substring(0, at) : user));
        }
        return command.append(" -p ").append(shell(schema)).toString();
    }

    /**
     * Restores a pg_dump {@code file} into {@code target}'s database with psql: all of it or none, stopping at the
     * first error, since the dump drops each object before it creates it again.
     */
    static String psql(PgTarget target, Path file) {
        StringBuilder command = gunzip(file).append(" | ");
        if (target.sslMode() != null) {
            command.append("PGSSLMODE=").append(shell(target.sslMode())).append(' ');
        }
        command.append("psql -X -v ON_ERROR_STOP=1 --single-transaction -h ").append(shell(target.hosts()))
                .append(" -p ").append(shell(target.ports()));
        if (target.user() != null && !target.user().isEmpty()) {
            command.append(" -U ").append(shell(target.user()));
        }
        return command.append(" -d ").append(shell(target.database())).toString();
    }

    private static StringBuilder gunzip(Path file) {
        return new StringBuilder("gunzip < ").append(shell(file.toAbsolutePath().toString()));
    }

    /** Quotes for a POSIX shell only where needed, so that the common command stays readable. */
    static String shell(String word) {
        if (word.matches("[A-Za-z0-9._/@%+=:,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
