package dev.upgradegate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.http.FakeExchange;
import dev.upgradegate.gate.webapp.FakeWebapp;

/** {@link WebappGate#answered}: the one sequence every adapter follows, and what it does when the gate itself fails. */
class TestRequestProtocol {

    private final Gatekeeper keeper = Gatekeeper.start(GateSettings.of(Path.of("upgradegate.properties"), Map.of(
            "install.token", "a-long-enough-test-token",
            "app.shop.jdbc.url", "jdbc:nosuchdriver://db/shop")));

    @AfterEach
    void close() {
        keeper.close();
    }

    @Test
    void anUngatedWebappPassesWithoutAnExchangeEverBeingMade() throws Exception {
        WebappGate gate = keeper.open(new FakeWebapp("blog"));
        assertFalse(gate.answered("/blog/", 5, "request", "response", (request, response) -> {
            throw new AssertionError("no exchange is made for a request that passes");
        }));
    }

    @Test
    void aClosedWebappIsAnsweredByTheGate() throws Exception {
        WebappGate gate = keeper.open(new FakeWebapp("shop"));
        gate.awaitFirstCheck();
        FakeExchange exchange = FakeExchange.get("text/html");
        assertTrue(gate.answered("/shop/", 5, exchange, null, (request, response) -> request));
        assertEquals(503, exchange.status());
        assertEquals("MISCONFIGURED", gate.parts().monitor().status().state().name(), gate.parts().monitor().status().reason());
    }

    /** A fault inside the gate answers the maintenance page: a gated webapp never fails open, nor with a 500. */
    @Test
    void aFaultOfTheGateFailsClosed() throws Exception {
        WebappGate gate = keeper.open(new FakeWebapp("shop"));
        gate.awaitFirstCheck();
        FakeExchange exchange = new FakeExchange("GET", "/", "/shop") {
            private boolean failed;

            @Override
            public String header(String name) {
                if (!failed) {
                    failed = true;
                    throw new IllegalStateException("the container could not parse a header");
                }
                return super.header(name);
            }
        };
        assertTrue(gate.answered("/shop/", 5, exchange, null, (request, response) -> request));
        assertEquals(503, exchange.status());
        assertTrue(new String(exchange.bodyBytes(), StandardCharsets.UTF_8).contains("Err 7"));
    }
}
