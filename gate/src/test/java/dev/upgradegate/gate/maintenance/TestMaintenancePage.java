package dev.upgradegate.gate.maintenance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.gate.http.FakeExchange;
import dev.upgradegate.gate.http.MaintenanceResponses;
import dev.upgradegate.gate.status.State;

class TestMaintenancePage {

    /** The administrator's page may use the site's own styles and images, and nothing else may load or run. */
    @Test
    void aCustomPageLoadsStylesAndImagesFromTheSiteItselfOnly(@TempDir Path folder) throws Exception {
        Path file = folder.resolve("maintenance.html");
        Files.writeString(file, "<link rel=\"stylesheet\" href=\"/shop/static/site.css\"><img src=\"/shop/static/logo.png\">"
                + "<p>{{message}} ({{code}})</p>");
        MaintenancePage page = new MaintenancePage("shop", file, new MaintenanceResponses(60));
        page.reloadIfChanged();
        FakeExchange exchange = FakeExchange.get("text/html");
        page.write(exchange, State.UPGRADE_REQUIRED, null);

        assertEquals(503, exchange.status());
        assertTrue(exchange.bodyText().contains("/shop/static/logo.png"), exchange.bodyText());
        String csp = exchange.responseHeader("Content-Security-Policy");
        assertTrue(csp.startsWith("default-src 'self';"), csp);
        assertTrue(csp.contains("style-src 'self' 'unsafe-inline';"), csp);
        assertTrue(csp.contains("img-src 'self' data:;"), csp);
        assertTrue(csp.contains("script-src 'none';"), csp);
        assertTrue(csp.contains("object-src 'none';"), csp);
        assertTrue(csp.contains("frame-ancestors 'none';"), csp);
        assertTrue(csp.contains("base-uri 'none';"), csp);
        assertTrue(!csp.contains("*") && !csp.contains("http"), "no other origin: " + csp);
    }
}
