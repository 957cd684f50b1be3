package dev.upgradegate.gate.http;

import java.util.List;

import dev.upgradegate.gate.config.AddressRange;

/**
 * Which address a request comes from, for {@code install.allow}, the {@code requireSecure} loopback
 * exemption and the guess limits: the TCP peer's, unless the peer is a declared trusted proxy
 * ({@code install.trustedProxies}); only then the address the container took from the proxy's header
 * (Tomcat's RemoteIpValve). RemoteIpValve at its defaults believes any private-network peer, so without
 * this anyone on the LAN could claim to be loopback.
 */
public final class ClientAddress {

    private final List<AddressRange> trustedProxies;

    public ClientAddress(List<AddressRange> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    public String of(Exchange exchange) {
        String peer = exchange.peerAddress();
        for (AddressRange proxy : trustedProxies) {
            if (proxy.contains(peer)) {
                return exchange.remoteAddress();
            }
        }
        return peer;
    }
}
