package dev.upgradegate.testsupport;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A single-host MySQL/MariaDB JDBC URL taken apart, so that the same server can be addressed with
 * another database or through a {@link TcpProxy}. Always rebuilt with the scheme of the driver the
 * tests run with, {@link TestDriver#selected()}.
 */
record JdbcUrl(String userInfo, String host, int port, String query) {

    private static final int DEFAULT_PORT = 3306;
    private static final Pattern URL = Pattern.compile(
            "jdbc:(?:mysql|mariadb)://([^@/?]*@)?(\\[[^]]+]|[^:/?,\\[]+)(?::(\\d+))?(?:/[^?]*)?(\\?.*)?");

    static JdbcUrl parse(String url) {
        Matcher matcher = URL.matcher(url.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Expected a single-host jdbc:mysql://host[:port][/database][?parameters]"
                    + " or jdbc:mariadb:// URL, got: " + url);
        }
        String userInfo = matcher.group(1) == null ? "" : matcher.group(1);
        String host = matcher.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = matcher.group(3) == null ? DEFAULT_PORT : Integer.parseInt(matcher.group(3));
        String query = matcher.group(4) == null ? "" : matcher.group(4);
        return new JdbcUrl(userInfo, host, port, query);
    }

    /** The URL of {@code database} on this server; an empty name means no default database. */
    String forDatabase(String database) {
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        return TestDriver.selected().scheme() + "//" + userInfo + hostPart + ":" + port + "/" + database + query;
    }

    JdbcUrl withAddress(String otherHost, int otherPort) {
        return new JdbcUrl(userInfo, otherHost, otherPort, query);
    }
}
