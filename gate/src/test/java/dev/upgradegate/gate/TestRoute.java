package dev.upgradegate.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.http.FakeExchange;
import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Statuses;
import dev.upgradegate.gate.webapp.FakeWebapp;

/**
 * {@link WebappGate#route} and {@link WebappGate#answer} for every kind of path and every state, through
 * {@link FakeExchange}: no container, no database. The state is set as a check would publish it.
 */
class TestRoute {

    private static final int SHOP = "/shop".length();

    private Gatekeeper keeper = keeper(Map.of());
    private WebappGate gate = keeper.open(new FakeWebapp("shop"));

    private static Gatekeeper keeper(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "install.token", "a-long-enough-test-token",
                "app.shop.jdbc.url", "jdbc:nosuchdriver://db/shop",
                "app.shop.ignore", "/static/**",
                // No background check may overwrite the state a test sets.
                "refresh.seconds", "3600"));
        settings.putAll(more);
        return Gatekeeper.start(GateSettings.of(Path.of("upgradegate.properties"), settings));
    }

    @AfterEach
    void close() {
        keeper.close();
    }

    private void in(State state) {
        gate.awaitFirstCheck();
        gate.parts().monitor().publish(Statuses.of(state), System.nanoTime());
        assertEquals(state, gate.parts().monitor().status().state());
    }

    private Route route(String path) {
        return gate.route(path, SHOP);
    }

    @Test
    void upPassesAllButTheGatesOwnResources() {
        in(State.UP);
        assertEquals(Route.PASS, route("/shop"));
        assertEquals(Route.PASS, route("/shop/"));
        assertEquals(Route.PASS, route("/shop/cart"));
        assertEquals(Route.PASS, route("/shop/install"));
        assertEquals(Route.PASS, route("/shop/install/"));
        assertEquals(Route.PASS, route("/shop/installer"));
        assertEquals(Route.PASS, route("/shop/install/upgrade"));
        assertEquals(Route.PASS, route("/shop/install/overview"));
        assertEquals(Route.PASS, route("/shop/install/bypass/a-secret-of-sixteen"));
        assertEquals(Route.PASS, route("/shop/install/status/more"));
        assertEquals(Route.INSTALL, route("/shop/install/status"));
        assertEquals(Route.INSTALL, route("/shop/install/status/"));
        assertEquals(Route.INSTALL, route("/shop/install/result"));
        assertEquals(Route.INSTALL, route("/shop/install/progress"));
        assertEquals(Route.INSTALL, route("/shop/install/progress.json"));
        assertEquals(Route.MAINTENANCE, route("/shop/install/maintenance"));
        assertEquals(Route.MAINTENANCE, route("/shop/install/maintenance/"));
        assertEquals(Route.MAINTENANCE, route("/shop/install/maintenance/off"));
        assertEquals(Route.INSTALL, route("/shop/install/maintenance/other"), "stays with the gate, not the API's");
    }

    @Test
    void aClosedWebappStopsAllButItsIgnoredPaths() {
        in(State.UPGRADE_REQUIRED);
        assertEquals(Route.PAGE, route("/shop"));
        assertEquals(Route.PAGE, route("/shop/"));
        assertEquals(Route.PAGE, route("/shop/cart"));
        assertEquals(Route.PAGE, route("/shop/installer"));
        assertEquals(Route.PASS, route("/shop/static/site.css"));
        assertEquals(Route.PASS, route("/shop/static/"));
        assertEquals(Route.INSTALL, route("/shop/install"));
        assertEquals(Route.INSTALL, route("/shop/install/"));
        assertEquals(Route.INSTALL, route("/shop/install/upgrade"));
        assertEquals(Route.INSTALL, route("/shop/install/status"));
        assertEquals(Route.INSTALL, route("/shop/install/bypass"));
        assertEquals(Route.INSTALL, route("/shop/install/bypass/"), "no secret, nothing for the bypass");
        assertEquals(Route.MAINTENANCE, route("/shop/install/bypass/a-secret-of-sixteen"));
        assertEquals(Route.MAINTENANCE, route("/shop/install/bypass/a-secret-of-sixteen/"));
        assertEquals(Route.MAINTENANCE, route("/shop/install/maintenance"));
        assertEquals(Route.MAINTENANCE, route("/shop/install/maintenance/off/"));
        assertEquals(Route.INSTALL, route("/shop/install/maintenance/other"));
    }

    /** The agent hands over the path inside the webapp, at offset 0: the same routes. */
    @Test
    void thePathInsideTheWebappRoutesTheSame() {
        in(State.UP);
        assertEquals(Route.PASS, gate.route("/cart", 0));
        assertEquals(Route.INSTALL, gate.route("/install/status", 0));
        in(State.DB_UNAVAILABLE);
        assertEquals(Route.PAGE, gate.route("/", 0));
        assertEquals(Route.PASS, gate.route("/static/app.js", 0));
        assertEquals(Route.MAINTENANCE, gate.route("/install/maintenance", 0));
    }

    @Test
    void anUngatedWebappAlwaysPasses() {
        WebappGate blog = keeper.open(new FakeWebapp("blog"));
        assertFalse(blog.gated());
        assertEquals(Route.PASS, blog.route("/blog/", 5));
        assertEquals(Route.PASS, blog.route("/blog/install/status", 5));
        assertTrue(blog.passes("/blog/install/upgrade", 5));
    }

    /** Every state but UP answers its page: 503, Retry-After, the state's code, as HTML or problem+json. */
    @Test
    void everyClosedStateAnswersItsPage() throws IOException {
        for (State state : State.values()) {
            if (state == State.UP) {
                continue;
            }
            in(state);
            FakeExchange html = FakeExchange.get("text/html");
            assertTrue(gate.answer(route("/shop/"), html), state.name());
            assertEquals(503, html.status(), state.name());
            assertEquals("60", html.responseHeader("Retry-After"), state.name());
            assertTrue(html.bodyText().contains(">" + state.code() + "</span>"), state.name());
            FakeExchange json = FakeExchange.get("application/json");
            assertTrue(gate.answered("/shop/", SHOP, json, null, (request, response) -> request), state.name());
            assertEquals(503, json.status(), state.name());
            assertTrue(json.bodyText().contains("\"state\":\"" + state.name() + "\""), json.bodyText());
        }
    }

    @Test
    void theStatusAnswersInEveryState() throws IOException {
        for (State state : State.values()) {
            in(state);
            FakeExchange exchange = new FakeExchange("GET", "/install/status", "/shop");
            assertTrue(gate.answered("/shop/install/status", SHOP, exchange, null, (request, response) -> request));
            assertEquals(200, exchange.status(), state.name());
            assertEquals("{\"state\":\"" + state.name() + "\"}", exchange.bodyText());
        }
    }

    /** install.requireSecure guards the maintenance API as it guards the install endpoint: 403 over plain HTTP. */
    @Test
    void theMaintenanceApiKeepsTheInstallPathsRules() throws IOException {
        in(State.UP);
        FakeExchange plain = new FakeExchange("POST", "/install/maintenance", "/shop");
        assertTrue(gate.answer(Route.MAINTENANCE, plain));
        assertEquals(403, plain.status());
        FakeExchange upgrade = new FakeExchange("POST", "/install/upgrade", "/shop");
        in(State.UPGRADE_REQUIRED);
        assertTrue(gate.answer(route("/shop/install/upgrade"), upgrade));
        assertEquals(403, upgrade.status());
    }

    @Test
    void outsideInstallAllowTheInstallPathIsNotThere() throws IOException {
        keeper.close();
        keeper = keeper(Map.of("install.allow", "10.0.0.0/8", "install.requireSecure", "false"));
        gate = keeper.open(new FakeWebapp("shop"));
        in(State.UPGRADE_REQUIRED);
        for (String path : new String[] {"/install/maintenance", "/install/upgrade", "/install/status"}) {
            FakeExchange exchange = new FakeExchange("POST", path, "/shop");
            assertTrue(gate.answer(route("/shop" + path), exchange));
            assertEquals(404, exchange.status(), path);
        }
        FakeExchange page = FakeExchange.get("text/html");
        gate.answer(route("/shop/"), page);
        assertEquals(503, page.status(), "the page itself is for everyone");
    }

    /** With the install path open, the maintenance API asks for the token like every token-protected resource. */
    @Test
    void theMaintenanceApiWantsTheToken() throws IOException {
        keeper.close();
        keeper = keeper(Map.of("install.requireSecure", "false"));
        gate = keeper.open(new FakeWebapp("shop"));
        in(State.UP);
        FakeExchange exchange = new FakeExchange("GET", "/install/maintenance", "/shop");
        assertTrue(gate.answer(route("/shop/install/maintenance"), exchange));
        assertEquals(401, exchange.status());
        assertEquals("Bearer realm=\"UpgradeGate\"", exchange.responseHeader("WWW-Authenticate"));
    }
}
