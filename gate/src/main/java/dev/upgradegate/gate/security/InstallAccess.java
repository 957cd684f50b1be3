package dev.upgradegate.gate.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.upgradegate.gate.config.AddressRange;
import dev.upgradegate.gate.http.ClientAddress;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Responses;

/**
 * Who may reach anything under the install path, token or not: {@code install.allow} (else 404, as if there
 * were nothing) and {@code install.requireSecure} (else 403). The install endpoint, its wizard, the maintenance
 * API and the bypass URL all live there, so the same rules guard them all.
 */
public final class InstallAccess {

    private static final byte[] HTTPS_REFUSAL = String.join("\n",
            "Forbidden: the install page needs HTTPS, or a request from the server itself.",
            "",
            "It carries the install token, which plain HTTP would send in clear. Any one of these opens it:",
            "- Reach it over an SSH tunnel to the server's loopback address, e.g.",
            "    ssh -L 8080:127.0.0.1:8080 you@server   then open http://127.0.0.1:8080/<webapp>/install/",
            "- Give Tomcat an HTTPS connector (SSLHostConfig in server.xml) and use https://.",
            "- Behind a proxy that ends TLS: add Tomcat's RemoteIpValve with protocolHeader=\"X-Forwarded-Proto\"",
            "  (and list the proxy in UpgradeGate's install.trustedProxies, so that each client counts as itself).",
            "- Or set install.requireSecure=false in UpgradeGate's configuration (the token then travels in clear).",
            "").getBytes(StandardCharsets.UTF_8);

    private final List<AddressRange> allow;
    private final boolean requireSecure;
    private final ClientAddress clients;

    /** @param allow the ranges that may reach the install path, or {@code null} for any */
    public InstallAccess(List<AddressRange> allow, boolean requireSecure, ClientAddress clients) {
        this.allow = allow;
        this.requireSecure = requireSecure;
        this.clients = clients;
    }

    /**
     * Answers a request these rules keep out: 404 outside {@code install.allow}, 403 over plain HTTP from
     * afar while {@code install.requireSecure}.
     *
     * @return whether it did
     */
    public boolean refuses(Exchange exchange) throws IOException {
        if (!allowed(exchange)) {
            notFound(exchange);
            return true;
        }
        if (!secureEnough(exchange)) {
            forbidden(exchange);
            return true;
        }
        return false;
    }

    /** Whether the client's address is in {@code install.allow}. */
    public boolean allowed(Exchange exchange) {
        if (allow == null) {
            return true;
        }
        String client = clients.of(exchange);
        for (AddressRange range : allow) {
            if (range.contains(client)) {
                return true;
            }
        }
        return false;
    }

    /** Plain HTTP would carry the token and the session in clear; loopback never leaves the machine. */
    public boolean secureEnough(Exchange exchange) {
        return !requireSecure || exchange.secure() || AddressRange.isLoopback(clients.of(exchange));
    }

    /** Likely the first page a hosting provider sees, so it names every way forward. */
    public static void forbidden(Exchange exchange) throws IOException {
        Responses.send(exchange, 403, "text/plain;charset=UTF-8", Responses.LOCKED_DOWN_CSP, HTTPS_REFUSAL);
    }

    /** What the webapp would answer if the install directory had been deleted. */
    public static void notFound(Exchange exchange) throws IOException {
        Responses.send(exchange, 404, "text/plain;charset=UTF-8", Responses.LOCKED_DOWN_CSP,
                "Not Found\n".getBytes(StandardCharsets.UTF_8));
    }
}
