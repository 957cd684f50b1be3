package dev.upgradegate.testsupport;

import java.util.List;
import java.util.Locale;

/**
 * The JDBC driver the tests connect with, and hand to the webapps and configurations under test. For MySQL and
 * MariaDB: MySQL Connector/J ({@code jdbc:mysql:}) unless the system property {@value #SETTING} says {@code mariadb},
 * MariaDB Connector/J ({@code jdbc:mariadb:}). Both are supported, so each driver-dependent test runs once per
 * driver (a second test execution in the module's pom sets the property). PostgreSQL has its own.
 */
public enum TestDriver {

    MYSQL("mysql", "com.mysql.cj.jdbc.Driver", "mysql-connector-j.jar"),
    MARIADB("mariadb", "org.mariadb.jdbc.Driver", "mariadb-java-client.jar"),
    /** PostgreSQL's one driver, for a {@link DatabaseKind#POSTGRESQL} database; never {@link #selected()}. */
    POSTGRESQL("postgresql", "org.postgresql.Driver", "postgresql.jar");

    public static final String SETTING = "upgradegate.test.driver";

    private final String name;
    private final String className;
    private final String jarName;

    TestDriver(String name, String className, String jarName) {
        this.name = name;
        this.className = className;
        this.jarName = jarName;
    }

    /** The driver named by {@value #SETTING}; a name it does not know fails every test rather than testing the other. */
    public static TestDriver selected() {
        String setting = SharedDatabaseServer.setting(SETTING);
        if (setting == null) {
            return MYSQL;
        }
        for (TestDriver driver : forMySql()) {
            if (driver.name.equals(setting.trim().toLowerCase(Locale.ROOT))) {
                return driver;
            }
        }
        throw new IllegalArgumentException(SETTING + " must be mysql or mariadb, not " + setting);
    }

    /** The two drivers for MySQL and MariaDB, both supported. */
    public static List<TestDriver> forMySql() {
        return List.of(MYSQL, MARIADB);
    }

    /** The MySQL driver the tests do not run with, for a test that crosses drivers. */
    public TestDriver other() {
        if (this == POSTGRESQL) {
            throw new UnsupportedOperationException("PostgreSQL has one driver");
        }
        return this == MYSQL ? MARIADB : MYSQL;
    }

    /** {@code jdbc:mysql:}, {@code jdbc:mariadb:} or {@code jdbc:postgresql:}. */
    public String scheme() {
        return "jdbc:" + name + ":";
    }

    /** The same server and parameters, for this driver. */
    public String url(String jdbcUrl) {
        return scheme() + jdbcUrl.substring(jdbcUrl.indexOf("//"));
    }

    /** For a context.xml's {@code driverClassName}. */
    public String className() {
        return className;
    }

    /** The driver's file name among the copied test artifacts (a module's {@code upgradegate.wars} folder). */
    public String jarName() {
        return jarName;
    }
}
