package dev.upgradegate.gate.db;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * Connections from a JDBC URL. UpgradeGate bundles no driver: it uses the container's (through
 * DriverManager) or the webapp's own (through the webapp's class loader, which DriverManager would
 * refuse to search on our behalf).
 */
public final class DriverConnectionSource implements ConnectionSource {

    private final String url;
    private final Properties properties = new Properties();
    private final ClassLoader webappLoader;
    private volatile Driver driver;

    /**
     * @param timeoutMillis the bound on connecting and on each read: MySQL's and MariaDB's drivers read the
     *                      server's greeting under the socket timeout, which a hung server never sends
     */
    public DriverConnectionSource(String url, String user, String password, ClassLoader webappLoader,
                                  long timeoutMillis) {
        this.url = url;
        this.webappLoader = webappLoader;
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        for (String timeout : new String[] {"connectTimeout", "socketTimeout"}) {
            if (!url.contains(timeout + "=")) {
                properties.setProperty(timeout, String.valueOf(timeoutMillis));
            }
        }
    }

    @Override
    public Connection open() throws SQLException {
        Driver found = driver;
        if (found == null) {
            found = findDriver();
            driver = found;
        }
        Connection connection = found.connect(url, properties);
        if (connection == null) {
            throw new SettingException("jdbc.url", "the JDBC driver " + found.getClass().getName()
                    + " does not accept the URL", null);
        }
        return connection;
    }

    private Driver findDriver() throws SQLException {
        try {
            return DriverManager.getDriver(url);
        } catch (SQLException notVisibleHere) {
            for (Driver candidate : ServiceLoader.load(Driver.class, webappLoader)) {
                if (candidate.acceptsURL(url)) {
                    return candidate;
                }
            }
            throw new SettingException("jdbc.url", "no JDBC driver for this URL in the container's lib/ "
                    + "or the webapp's WEB-INF/lib", notVisibleHere);
        }
    }
}
