package dev.upgradegate.testsupport;

/**
 * The two families of database servers the tests run on, each with its own shared server per JVM (see
 * {@link TestDatabase}) and its own settings naming an external one.
 */
public enum DatabaseKind {

    /** MySQL or MariaDB: UPGRADEGATE_TEST_JDBC_URL, else MySQL in Docker, else embedded MariaDB. */
    MYSQL("UPGRADEGATE_TEST_JDBC", "root", "DockerMySql", "mysql:8.4", "", "10000"),
    /** PostgreSQL: UPGRADEGATE_TEST_PG_URL, else PostgreSQL in Docker, else embedded PostgreSQL (zonky). */
    POSTGRESQL("UPGRADEGATE_TEST_PG", "postgres", "DockerPostgreSql", "postgres:15", "postgres", "10");

    private final String settingPrefix;
    private final String defaultUser;
    private final String dockerClass;
    private final String dockerImage;
    private final String serverDatabase;
    private final String connectTimeout;

    DatabaseKind(String settingPrefix, String defaultUser, String dockerClass, String dockerImage,
            String serverDatabase, String connectTimeout) {
        this.settingPrefix = settingPrefix;
        this.defaultUser = defaultUser;
        this.dockerClass = dockerClass;
        this.dockerImage = dockerImage;
        this.serverDatabase = serverDatabase;
        this.connectTimeout = connectTimeout;
    }

    /** The driver that URLs of this kind are written for. */
    public TestDriver driver() {
        return this == POSTGRESQL ? TestDriver.POSTGRESQL : TestDriver.selected();
    }

    /** The environment variable or system property naming an external server, e.g. UPGRADEGATE_TEST_PG_URL. */
    String urlSetting() {
        return settingPrefix + "_URL";
    }

    String userSetting() {
        return settingPrefix + "_USER";
    }

    String passwordSetting() {
        return settingPrefix + "_PASSWORD";
    }

    String defaultUser() {
        return defaultUser;
    }

    /** The simple name of the class in this package that starts a container, compiled only with the tests. */
    String dockerClass() {
        return dockerClass;
    }

    String dockerImage() {
        return dockerImage;
    }

    /**
     * The database that server-level connections use: none on MySQL; PostgreSQL always connects to one, and
     * {@code postgres} exists on every server.
     */
    String serverDatabase() {
        return serverDatabase;
    }

    /** The driver's connectTimeout: MySQL's drivers count milliseconds, PostgreSQL's seconds. */
    String connectTimeout() {
        return connectTimeout;
    }
}
