package dev.upgradegate.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;

/** The CLI reads the file through the gate's own loader: it and the server never disagree. */
class TestConfiguration {

    private static final String TOKEN = "Tk-7hQ2mLx0pVv4Rr8sYy";

    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path file = dir.resolve("upgradegate.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    private static CliOptions options(String... args) {
        return CliOptions.parse(args);
    }

    @Test
    void theCliSeesEveryValueAndDefaultAsTheServerDoes() throws Exception {
        Path file = file("refresh.seconds=7", "retry.after.seconds=90", "install.token=" + TOKEN,
                "app.shop.jdbc.url=jdbc:mariadb://db/shop", "app.shop.jdbc.user=shop", "app.shop.jdbc.password=pw",
                "app.shop.liquibase.table=SHOP_LOG", "app.shop.ignore=/healthz", "app.blog.datasource=jdbc/Blog");
        Configuration cli = Configuration.read(options("status", "--config", file.toString(), "--app", "shop",
                "--classpath", dir.toString()));
        GateSettings server = GateSettings.load(file);

        for (GateSettings settings : List.of(cli.settings(), cli.asFiled())) {
            assertEquals(server.refreshSeconds(), settings.refreshSeconds());
            assertEquals(90, settings.retryAfterSeconds(), "the old spelling is read by both");
            assertEquals(server.dbTimeoutSeconds(), settings.dbTimeoutSeconds());
            assertEquals(server.lockStaleSeconds(), settings.lockStaleSeconds());
            assertEquals(server.tokenFile(), settings.tokenFile());
            assertEquals(server.warnings(), settings.warnings());
        }
        AppSettings shop = cli.reachable("shop", options("status", "--config", file.toString(), "--app", "shop",
                "--classpath", dir.toString()));
        AppSettings served = server.forApp("shop");
        assertEquals(served.jdbcUrl(), shop.jdbcUrl());
        assertEquals(served.jdbcPassword(), shop.jdbcPassword());
        assertEquals(served.liquibaseTable(), shop.liquibaseTable());
        assertEquals(served.flywayTable(), shop.flywayTable());
        assertEquals(served.versionAttribute(), shop.versionAttribute());
        assertEquals(served.ignore(), shop.ignore());
        assertEquals(List.of("blog", "shop"), cli.apps());
        assertEquals(List.of("app.shop.jdbc.password", "install.token"),
                cli.secretKeys().stream().sorted().collect(java.util.stream.Collectors.toList()));
        assertEquals(TOKEN, cli.asFiled().installToken(), "what the server will use");
        assertNotEquals(TOKEN, cli.settings().installToken(), "the CLI's own token is a throwaway one");
    }

    @Test
    void aProblemTheServerWouldSeeStopsTheCliNamingTheLineAndKey() throws Exception {
        Path file = file("app.shop.jdbc.url=jdbc:mariadb://db/shop", "lock.staleSeconds=3");
        CliFailure failure = assertThrows(CliFailure.class, () -> Configuration.read(options("status", "--config",
                file.toString(), "--app", "shop", "--classpath", dir.toString())));
        assertEquals(GateSettings.load(file).problem(), failure.getMessage());
        assertTrue(failure.getMessage().contains(file + " line 2: lock.staleSeconds: must be a whole number from 8"),
                failure.getMessage());
    }

    @Test
    void theCommandLineStandsInForTheFileThroughTheSameLoader() throws Exception {
        Configuration cli = Configuration.read(options("status", "--jdbc-url", "jdbc:mariadb://db/shop", "--user",
                "shop", "--changelog", "db/changelog.yaml", "--classpath", dir.toString()));
        AppSettings app = cli.reachable("app", options("status", "--jdbc-url", "jdbc:mariadb://db/shop",
                "--classpath", dir.toString()));
        assertEquals("jdbc:mariadb://db/shop", app.jdbcUrl());
        assertEquals("db/changelog.yaml", app.changelog());
        CliFailure failure = assertThrows(CliFailure.class, () -> Configuration.read(options("status",
                "--jdbc-url", "jdbc:mariadb://db/shop", "--changelog", "/abs/changelog.xml", "--classpath",
                dir.toString())).reachable("app", options("status", "--jdbc-url", "x", "--classpath", "x")));
        assertTrue(failure.getMessage().contains("app.app.changelog: must be a relative path in the class path"),
                failure.getMessage());
    }
}
