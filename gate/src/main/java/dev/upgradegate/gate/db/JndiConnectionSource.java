package dev.upgradegate.gate.db;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

import dev.upgradegate.gate.webapp.Webapp;

/** Connections from the webapp's own DataSource, looked up once in its {@code java:comp/env}. */
public final class JndiConnectionSource implements ConnectionSource {

    private final Webapp webapp;
    private final String name;
    private volatile DataSource dataSource;

    public JndiConnectionSource(Webapp webapp, String name) {
        this.webapp = webapp;
        this.name = name;
    }

    @Override
    public Connection open() throws SQLException {
        DataSource source = dataSource;
        if (source == null) {
            source = lookup();
            dataSource = source;
        }
        return source.getConnection();
    }

    private DataSource lookup() throws SQLException {
        Object found;
        try {
            found = webapp.lookup(name);
        } catch (Exception e) {
            throw new SettingException("datasource", "no DataSource named " + name + " in the webapp's java:comp/env ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        if (!(found instanceof DataSource)) {
            throw new SettingException("datasource", "java:comp/env/" + name + " is a "
                    + (found == null ? "null" : found.getClass().getName()) + ", not a javax.sql.DataSource", null);
        }
        return (DataSource) found;
    }
}
