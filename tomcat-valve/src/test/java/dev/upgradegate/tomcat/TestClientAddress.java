package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.catalina.valves.RemoteIpValve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.upgradegate.testsupport.TestDatabase;

/**
 * Whose address {@code install.allow} sees, in embedded Tomcat 11 behind a RemoteIpValve at its defaults
 * (which believes X-Forwarded-For from any loopback or private peer): the TCP peer's, unless the peer is
 * a declared trusted proxy. The peer is 127.0.0.2, a second loopback address. One Tomcat at a time:
 * Tomcat keeps one global JNDI context per JVM.
 */
class TestClientAddress {

    @RegisterExtension
    static final TestDatabase DB = new TestDatabase();

    static final String TOKEN = "client-address-token-0123456789";

    @TempDir
    static Path base;

    @Test
    void aForwardedLoopbackAddressCountsOnlyFromADeclaredTrustedProxy() throws Exception {
        for (boolean trusted : new boolean[] {false, true}) {
            Path folder = base.resolve("spoof-" + trusted);
            Files.createDirectories(folder);
            Path config = Files.writeString(folder.resolve("upgradegate.properties"), String.join("\n",
                    "install.token=" + TOKEN,
                    "install.allow=127.0.0.1/32",
                    trusted ? "install.trustedProxies=127.0.0.2/32" : "",
                    "app.shop.datasource=jdbc/ShopDB",
                    ""));
            try (EmbeddedTomcat tomcat = new EmbeddedTomcat(folder, config, DB, "Tomcat")) {
                tomcat.addEngineValve(new RemoteIpValve());
                int port = tomcat.http.get("/").uri().getPort();
                tomcat.deploy("/shop", "shop-1.0.0.war", DB.jdbcUrl());
                tomcat.http.await("/shop/install/status", 60, r -> r.statusCode() == 200);
                BoundHttp spoofed = BoundHttp.send("127.0.0.2", port, "GET", "/shop/install/status",
                        "X-Forwarded-For", "127.0.0.1", "Authorization", "Bearer " + TOKEN);
                assertEquals(trusted ? 200 : 404, spoofed.status, (trusted ? "from a declared trusted proxy, the"
                        + " forwarded address counts" : "X-Forwarded-For: 127.0.0.1 from an undeclared peer is"
                        + " ignored, though RemoteIpValve believed it") + ": " + spoofed.body);
                BoundHttp signIn = BoundHttp.send("127.0.0.2", port, "GET", "/shop/install/signin",
                        "X-Forwarded-For", "127.0.0.1");
                assertEquals(trusted ? 200 : 404, signIn.status, "the wizard likewise");
                assertEquals(200, BoundHttp.send("127.0.0.1", port, "GET", "/shop/install/status").status,
                        "the real 127.0.0.1 is allowed either way");
            }
        }
    }
}
