package dev.upgradegate.testsupport;

import java.util.function.Supplier;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * PostgreSQL in a Testcontainers container, the twin of {@link DockerMySql}: compiled only with the tests, reached
 * by name, {@code null} when no Docker engine answers.
 */
public final class DockerPostgreSql implements Supplier<JdbcUrl> {

    private static final int POSTGRESQL_PORT = 5432;

    @Override
    public JdbcUrl get() {
        return DockerMySql.engineAnswers() ? start() : null;
    }

    /** Starts the container; it is removed at JVM exit (and by Testcontainers' reaper if killed). */
    private static JdbcUrl start() {
        PostgreSQLContainer container = new PostgreSQLContainer(DatabaseKind.POSTGRESQL.dockerImage())
                .withUsername(DatabaseKind.POSTGRESQL.defaultUser())
                // Any password, like the embedded server's: the tests connect with an empty one.
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust");
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "upgradegate-postgresql-container-stop"));
        return new JdbcUrl(DatabaseKind.POSTGRESQL, "", container.getHost(),
                container.getMappedPort(POSTGRESQL_PORT), "");
    }
}
