package dev.upgradegate.testsupport;

import java.util.function.Supplier;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.mysql.MySQLContainer;

/**
 * MySQL in a Testcontainers container; only this class touches Testcontainers' classes. It is compiled only when
 * the tests are (see test-support's pom), so that a build without tests downloads no Testcontainers: hence it is
 * reached by name, as a {@link Supplier} of the server's URL, {@code null} when no Docker engine answers.
 */
public final class DockerMySql implements Supplier<JdbcUrl> {

    @Override
    public JdbcUrl get() {
        return engineAnswers() ? start() : null;
    }

    static boolean engineAnswers() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            // Testcontainers throws for some broken setups instead of answering false.
            return false;
        }
    }

    /** Starts the container; it is removed at JVM exit (and by Testcontainers' reaper if killed). */
    private static JdbcUrl start() {
        MySQLContainer container = new MySQLContainer(DatabaseKind.MYSQL.dockerImage()).withUsername("root").withPassword("");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "upgradegate-mysql-container-stop"));
        return new JdbcUrl(DatabaseKind.MYSQL, "", container.getHost(), container.getMappedPort(MySQLContainer.MYSQL_PORT),
                "?useSSL=false&allowPublicKeyRetrieval=true");
    }
}
