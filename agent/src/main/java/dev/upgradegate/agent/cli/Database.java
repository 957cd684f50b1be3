package dev.upgradegate.agent.cli;

import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.Setting;
import dev.upgradegate.gate.db.DriverConnectionSource;
import dev.upgradegate.gate.db.SettingException;
import dev.upgradegate.gate.status.State;

/**
 * A webapp's database as the CLI reaches it: through the driver in the bundle or {@code --classpath}, within
 * {@code db.timeoutSeconds}; a failure says which option or key to fix, in the CLI's words (it has no
 * container whose lib/ could hold the driver).
 */
final class Database {

    /** MySQL's and MariaDB's codes for an unknown database, and for a user without rights on it. */
    private static final int UNKNOWN_DATABASE = 1049;
    private static final int NO_ACCESS_TO_DATABASE = 1044;

    private Database() {
    }

    static Connection open(String name, AppSettings app, ClassLoader drivers, int timeoutSeconds, CliOptions options)
            throws CliFailure {
        try {
            return new DriverConnectionSource(app.jdbcUrl(), app.jdbcUser(), app.jdbcPassword(), drivers,
                    timeoutSeconds * 1000L).open();
        } catch (SQLException e) {
            throw explain(e, name, app, timeoutSeconds, options);
        }
    }

    /** The drivers, by their artifact names, that take URLs of {@code scheme}. */
    private static String driversFor(String scheme) {
        return scheme.equals("jdbc:postgresql:") ? "postgresql" : "mariadb-java-client or mysql-connector-j";
    }

    private static CliFailure explain(SQLException e, String name, AppSettings app, int timeoutSeconds,
                                      CliOptions options) {
        String url = options.whereIs(Setting.JDBC_URL.key(), name);
        if (e instanceof SettingException && ((SettingException) e).key().equals(Setting.JDBC_URL.key())) {
            String[] parts = app.jdbcUrl().split(":", 3);
            String scheme = parts.length == 3 ? "jdbc:" + parts[1] + ":" : "its";
            return new CliFailure(name, State.MISCONFIGURED, "no JDBC driver " + (options.war != null
                    ? "in the WAR's WEB-INF/lib or --classpath" : "on --classpath") + " accepts " + scheme
                    + " URLs: pass --classpath <driver.jar> (" + driversFor(scheme) + "), or check "
                    + url + (scheme.equals("jdbc:mysql:") ? " (MariaDB's own driver takes jdbc:mariadb: URLs)" : ""));
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("28") || e.getErrorCode() == 1045) {
            return new CliFailure(name, State.DB_UNAVAILABLE, "the database refused user '" + app.jdbcUser()
                    + "' (wrong password?): check " + options.whereIs(Setting.JDBC_USER.key(), name) + " and "
                    + options.whereIs(Setting.JDBC_PASSWORD.key(), name));
        }
        if (e.getErrorCode() == UNKNOWN_DATABASE) {
            return new CliFailure(name, State.DB_UNAVAILABLE, "the database named in the URL does not exist: check "
                    + url + ", or create it");
        }
        if (e.getErrorCode() == NO_ACCESS_TO_DATABASE) {
            return new CliFailure(name, State.DB_UNAVAILABLE, "user '" + app.jdbcUser()
                    + "' has no rights on the database named in the URL: GRANT them, or check " + url);
        }
        return new CliFailure(name, State.DB_UNAVAILABLE, "cannot reach the database (" + reason(e)
                + ", waited at most " + timeoutSeconds + " s, db.timeoutSeconds): check the host and port in " + url
                + ", and that the server runs");
    }

    /** The innermost cause's first line: "Connection refused", not the driver's paragraph about packets. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (root instanceof UnknownHostException) {
            message = "unknown host " + message;
        }
        return message.lines().findFirst().orElse(message).trim();
    }
}
