package dev.upgradegate.migrations.backup;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where PostgreSQL's own tools (pg_dump, psql) find a webapp's database: the hosts and ports of the JDBC URL, and
 * the database, user and schema the connection itself works with, so that a DataSource's settings count as much
 * as a URL's. Holds no password of the settings; one written into the URL is kept apart and never printed.
 */
public final class PgTarget {

    private static final String PREFIX = "jdbc:postgresql:";
    private static final String DEFAULT_PORT = "5432";
    /** The schema every database has: with it, the whole database is the webapp's. */
    private static final String PUBLIC = "public";

    private final List<String> hosts;
    private final List<String> ports;
    private final String database;
    private final String user;
    private final String sslMode;
    private final String schema;
    private final String urlPassword;

    private PgTarget(List<String> hosts, List<String> ports, String database, String user, String sslMode,
                     String schema, String urlPassword) {
        this.hosts = List.copyOf(hosts);
        this.ports = List.copyOf(ports);
        this.database = database;
        this.user = user;
        this.sslMode = sslMode;
        this.schema = schema;
        this.urlPassword = urlPassword;
    }

    /** The target of an open connection to PostgreSQL. */
    public static PgTarget of(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        return parse(meta.getURL(), connection.getCatalog(), meta.getUserName(), connection.getSchema());
    }

    /**
     * @param url      a {@code jdbc:postgresql:} URL: {@code //host:port,host:port/database?key=value&...}, or
     *                 {@code database} alone on localhost
     * @param database the database the connection is in
     * @param user     the user the connection signed in as
     * @param schema   the connection's current schema; {@code public} or {@code null} for the whole database
     */
    static PgTarget parse(String url, String database, String user, String schema) {
        String rest = url != null && url.startsWith(PREFIX) ? url.substring(PREFIX.length()) : "";
        int query = rest.indexOf('?');
        String params = query < 0 ? "" : rest.substring(query + 1);
        String address = query < 0 ? rest : rest.substring(0, query);
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        if (address.startsWith("//")) {
            int slash = address.indexOf('/', 2);
            String hostList = slash < 0 ? address.substring(2) : address.substring(2, slash);
            for (String host : hostList.split(",")) {
                hostAndPort(host, hosts, ports);
            }
        }
        if (hosts.isEmpty()) {
            hosts.add("localhost");
            ports.add(DEFAULT_PORT);
        }
        String sslMode = null;
        String password = null;
        for (String param : params.split("&")) {
            int equals = param.indexOf('=');
            String key = equals < 0 ? param : param.substring(0, equals);
            String value = equals < 0 ? "" : URLDecoder.decode(param.substring(equals + 1), StandardCharsets.UTF_8);
            if ("sslmode".equals(key)) {
                sslMode = value;
            } else if ("ssl".equals(key) && sslMode == null && !"false".equalsIgnoreCase(value)) {
                // pgjdbc's ssl=true without sslmode verifies the server's certificate in full.
                sslMode = "verify-full";
            } else if ("password".equals(key)) {
                password = value;
            }
        }
        boolean wholeDatabase = schema == null || PUBLIC.equals(schema);
        return new PgTarget(hosts, ports, database, user, sslMode, wholeDatabase ? null : schema, password);
    }

    private static void hostAndPort(String spec, List<String> hosts, List<String> ports) {
        String host = spec;
        String port = DEFAULT_PORT;
        int colon = spec.lastIndexOf(':');
        int bracket = spec.lastIndexOf(']');
        if (colon > bracket) {
            host = spec.substring(0, colon);
            port = spec.substring(colon + 1);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!host.isEmpty()) {
            hosts.add(host);
            ports.add(port.isEmpty() ? DEFAULT_PORT : port);
        }
    }

    /** The hosts to try in order, as libpq's {@code host} takes them: comma-separated. */
    public String hosts() {
        return String.join(",", hosts);
    }

    /** One port per host, as libpq's {@code port} takes them. */
    public String ports() {
        return String.join(",", ports);
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    /** The URL's {@code sslmode}, or {@code null} for libpq's default (or the environment's). */
    public String sslMode() {
        return sslMode;
    }

    /** The webapp's schema when it is not {@code public}; {@code null} when the whole database is the webapp's. */
    public String schema() {
        return schema;
    }

    /** A password written into the URL itself, or {@code null}. */
    String urlPassword() {
        return urlPassword;
    }

    /** The libpq connection string: every parameter but the password, which never goes on a command line. */
    String conninfo() {
        StringBuilder conninfo = new StringBuilder();
        param(conninfo, "host", hosts());
        param(conninfo, "port", ports());
        param(conninfo, "dbname", database);
        if (user != null && !user.isEmpty()) {
            param(conninfo, "user", user);
        }
        if (sslMode != null) {
            param(conninfo, "sslmode", sslMode.toLowerCase(Locale.ROOT));
        }
        return conninfo.toString();
    }

    private static void param(StringBuilder conninfo, String key, String value) {
        conninfo.append(conninfo.length() == 0 ? "" : " ").append(key).append("='")
                .append(value.replace("\\", "\\\\").replace("'", "\\'")).append('\'');
    }

    /** The database, and the schema where only one is the webapp's, as a restore or a log names it. */
    @Override
    public String toString() {
        return schema == null ? database : database + "." + schema;
    }
}
