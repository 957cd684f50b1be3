package dev.upgradegate.testsupport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single-host MySQL/MariaDB or PostgreSQL JDBC URL taken apart, so that the same server can be addressed with
 * another database or through a {@link TcpProxy}. Always rebuilt with the scheme of the driver the tests run with
 * for its kind, {@link DatabaseKind#driver()}.
 */
record JdbcUrl(DatabaseKind kind, String userInfo, String host, int port, String query) {

    private static final int MYSQL_PORT = 3306;
    private static final int POSTGRESQL_PORT = 5432;
    private static final Pattern URL = Pattern.compile(
            "jdbc:(mysql|mariadb|postgresql)://([^@/?]*@)?(\\[[^]]+]|[^:/?,\\[]+)(?::(\\d+))?(?:/[^?]*)?(\\?.*)?");

    static JdbcUrl parse(String url) {
        Matcher matcher = URL.matcher(url.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Expected a single-host jdbc:mysql://host[:port][/database][?parameters],"
                    + " jdbc:mariadb:// or jdbc:postgresql:// URL, got: " + url);
        }
        DatabaseKind kind = "postgresql".equals(matcher.group(1)) ? DatabaseKind.POSTGRESQL : DatabaseKind.MYSQL;
        String userInfo = matcher.group(2) == null ? "" : matcher.group(2);
        String host = matcher.group(3);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int defaultPort = kind == DatabaseKind.POSTGRESQL ? POSTGRESQL_PORT : MYSQL_PORT;
        int port = matcher.group(4) == null ? defaultPort : Integer.parseInt(matcher.group(4));
        String query = matcher.group(5) == null ? "" : matcher.group(5);
        return new JdbcUrl(kind, userInfo, host, port, query);
    }

    /** The URL of {@code database} on this server; an empty name means no default database. */
    String forDatabase(String database) {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return kind.driver().scheme() + "//" + userInfo + hostPart + ":" + port + "/" + database + query;
    }

    JdbcUrl withAddress(String otherHost, int otherPort) {
        return new JdbcUrl(kind, userInfo, otherHost, otherPort, query);
    }
}
