package dev.upgradegate.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/** MySQL in a Testcontainers container; only this class touches Testcontainers' classes. */
final class DockerMySql {

    static final String IMAGE = "mysql:8.4";

    private DockerMySql() {}

    static boolean engineAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            // Testcontainers throws for some broken setups instead of answering false.
            return false;
        }
    }

    /** Starts the container; it is removed at JVM exit (and by Testcontainers' reaper if killed). */
    static JdbcUrl start() {
        MySQLContainer container = new MySQLContainer(IMAGE).withUsername("root").withPassword("");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "upgradegate-mysql-container-stop"));
        return new JdbcUrl("", container.getHost(), container.getMappedPort(MySQLContainer.MYSQL_PORT),
                "?useSSL=false&allowPublicKeyRetrieval=true");
    }
}
