package dev.upgradegate.gate.security;

import java.io.IOException;

import dev.upgradegate.gate.http.ClientAddress;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Problem;

/**
 * A webapp's install token on a request, checked in constant time under the host's guess limits, which count
 * each client by its address: the one gate of every token-protected resource.
 */
public final class BearerCheck {

    private final GuessLimiter guesses;
    private final ClientAddress clients;
    private final InstallToken token;

    /** @param token the webapp's token, or {@code null} when none could be made: then no token opens anything */
    public BearerCheck(GuessLimiter guesses, ClientAddress clients, InstallToken token) {
        this.guesses = guesses;
        this.clients = clients;
        this.token = token;
    }

    /**
     * Whether the request carries the token; if not, it is answered 401 with the Bearer challenge, or 429
     * while its address must wait. No token is no guess.
     */
    public boolean admits(Exchange exchange) throws IOException {
        String presented = InstallToken.bearer(exchange.header("Authorization"));
        if (presented != null) {
            GuessLimiter.Verdict verdict = verdict(exchange, presented);
            if (verdict.right()) {
                return true;
            }
            if (verdict.retryAfterSeconds() > 0) {
                tooManyGuesses(exchange, verdict);
                return false;
            }
        }
        exchange.header("WWW-Authenticate", "Bearer realm=\"UpgradeGate\"");
        Problem.send(exchange, 401, "Unauthorized", "send the install token as Authorization: Bearer <token>");
        return false;
    }

    /** A presented token's verdict, counted against the client's address like any other guess. */
    public GuessLimiter.Verdict verdict(Exchange exchange, String presented) {
        return guesses.check(client(exchange), exchange.contextPath() + exchange.path(), () -> matches(presented));
    }

    /** Whether {@code presented} is the token; constant time. */
    public boolean matches(String presented) {
        return token != null && token.matches(presented);
    }

    /** The host's one limiter of wrong secrets, shared by every webapp's endpoints. */
    public GuessLimiter guesses() {
        return guesses;
    }

    /** The address {@code exchange} comes from, as {@code install.allow} and the guess limits see it. */
    public String client(Exchange exchange) {
        return clients.of(exchange);
    }

    /** The API's answer to an address that must wait: 429, Retry-After, problem+json. */
    public static void tooManyGuesses(Exchange exchange, GuessLimiter.Verdict verdict) throws IOException {
        exchange.header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
        Problem.send(exchange, 429, "Too Many Requests", "too many wrong secrets from your address; try again in "
                + verdict.retryAfterSeconds() + " seconds");
    }
}
