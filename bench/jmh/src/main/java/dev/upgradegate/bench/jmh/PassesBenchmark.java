package dev.upgradegate.bench.jmh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.webapp.Webapp;
import dev.upgradegate.migrations.LiquibaseEngine;
import dev.upgradegate.migrations.UpgradeListener;
import dev.upgradegate.testsupport.EmbeddedMariaDb;

/**
 * Benchmark 4 of issue 6: the per-request decision {@link WebappGate#passes} in state UP, as the valve
 * calls it, against a gate started with {@code Gatekeeper.start(GateSettings.of(...))} over a real MariaDB
 * (EmbeddedMariaDb) whose schema is tagged with the bundle's version. The default refresh.seconds (2)
 * applies, so the background re-check runs during the measurement as it does in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class PassesBenchmark {

    static final String VERSION = "3.1.4";
    static final String CHANGELOG = "db/changelog/db.changelog-master.xml";

    /** A request path as Tomcat hands it over after mapping: chars, context path included. */
    private final StringBuilder pagePath = new StringBuilder("/shop/products/42");
    private final StringBuilder installStatusPath = new StringBuilder("/shop/install/status");

    private EmbeddedMariaDb db;
    private Gatekeeper keeper;
    private WebappGate gate;
    private Path temp;

    @Setup(Level.Trial)
    public void start() throws Exception {
        db = EmbeddedMariaDb.start(0, null);
        db.createDatabase("shop");
        temp = Files.createTempDirectory("upgradegate-jmh-");
        Path changelog = temp.resolve(CHANGELOG);
        Files.createDirectories(changelog.getParent());
        Files.writeString(changelog, """
                <?xml version="1.0" encoding="UTF-8"?>
                <databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                    xsi:schemaLocation="http://www.liquibase.org/xml/ns/dbchangelog
                        http://www.liquibase.org/xml/ns/dbchangelog/dbchangelog-latest.xsd">
                  <changeSet id="1" author="jmh">
                    <createTable tableName="product"><column name="id" type="INT"/></createTable>
                  </changeSet>
                  <changeSet id="2" author="jmh"><tagDatabase tag="%s"/></changeSet>
                </databaseChangeLog>
                """.formatted(VERSION), StandardCharsets.UTF_8);
        ClassLoader loader = new URLClassLoader(new URL[] {temp.toUri().toURL()}, null);
        try (Connection connection = DriverManager.getConnection(db.jdbcUrl("shop"), db.user(), db.password())) {
            new LiquibaseEngine(CHANGELOG, loader).update(connection, new UpgradeListener() { });
        }
        keeper = Gatekeeper.start(GateSettings.of(temp.resolve("upgradegate.properties"), Map.of(
                "install.token", "jmh-install-token-0123456789",
                "app.shop.jdbc.url", db.jdbcUrl("shop"),
                "app.shop.jdbc.user", db.user())));
        gate = keeper.open(new BenchWebapp(loader));
        dev.upgradegate.gate.status.State state = gate.parts().monitor().refreshNow().state();
        if (state != dev.upgradegate.gate.status.State.UP) {
            throw new IllegalStateException("the gate is " + state + ", not UP: "
                    + gate.parts().monitor().status().reason());
        }
        if (!gate.passes(pagePath, 5) || gate.passes(installStatusPath, 5)) {
            throw new IllegalStateException("unexpected decisions");
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (gate != null && gate.parts().monitor().status().state() != dev.upgradegate.gate.status.State.UP) {
            throw new IllegalStateException("the gate left UP during the run: "
                    + gate.parts().monitor().status().reason());
        }
        if (keeper != null) {
            keeper.close();
        }
        if (db != null) {
            db.stop();
        }
    }

    /** The UP gate, for the benchmarks of the adapters around it. */
    WebappGate gate() {
        return gate;
    }

    /** A page of the webapp: the common case. */
    @Benchmark
    public boolean passesPage() {
        return gate.passes(pagePath, 5);
    }

    /** The install status URL, which the gate keeps even while UP: the longest path through the check. */
    @Benchmark
    public boolean passesInstallStatus() {
        return gate.passes(installStatusPath, 5);
    }

    /** The webapp as a container shows it: a manifest with the bundle's version, no JNDI. */
    static final class BenchWebapp implements Webapp {
        private final ClassLoader loader;

        BenchWebapp(ClassLoader loader) {
            this.loader = loader;
        }

        @Override
        public String name() {
            return "shop";
        }

        @Override
        public String contextPath() {
            return "/shop";
        }

        @Override
        public ClassLoader classLoader() {
            return loader;
        }

        @Override
        public InputStream resource(String path) throws IOException {
            if (!path.endsWith("MANIFEST.MF")) {
                return null;
            }
            return new ByteArrayInputStream(("Manifest-Version: 1.0\r\nImplementation-Version: " + VERSION
                    + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public java.util.Set<String> list(String folder) {
            return java.util.Set.of();
        }

        @Override
        public Object lookup(String name) {
            throw new UnsupportedOperationException("no JNDI here: " + name);
        }
    }
}
