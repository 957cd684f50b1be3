package dev.upgradegate.gate.jmx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.webapp.FakeWebapp;

/** JMX operations answer plain words, and refuse what the HTTP API and the CLI refuse, in the same words. */
class TestWebappGateBean {

    private final Gatekeeper keeper = Gatekeeper.start(GateSettings.of(Path.of("upgradegate.properties"), Map.of(
            "install.token", "a-long-enough-test-token",
            "app.shop.jdbc.url", "jdbc:nosuchdriver://db/shop")));
    private final WebappGate gate = keeper.open(new FakeWebapp("shop"));
    private final WebappGateBean bean = new WebappGateBean(gate.parts());

    @AfterEach
    void close() {
        keeper.close();
    }

    @Test
    void maintenanceOrdersAreCheckedAsEverywhereElse() {
        assertEquals("refused: minutes must be a whole number from 1 to 525600", bean.maintenanceOn("Back soon", 525_601));
        assertEquals("refused: message is longer than 1000 characters", bean.maintenanceOn("x".repeat(1001), 5));
    }

    @Test
    void aDatabaseFailureIsOneSentence() {
        assertEquals("failed: the database cannot be reached (the server log has the details)",
                bean.maintenanceOn("Back soon", 0));
        assertEquals("failed: the database cannot be reached (the server log has the details)", bean.maintenanceOff());
    }
}
