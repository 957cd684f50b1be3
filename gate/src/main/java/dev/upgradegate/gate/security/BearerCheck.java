package dev.upgradegate.gate.security;

import java.io.IOException;

import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Problem;

/**
 * The install token on an API request ({@code Authorization: Bearer <token>}), checked in constant time under
 * the host's guess limits: the one gate of every token-protected resource.
 */
public final class BearerCheck {

    private BearerCheck() {
    }

    /**
     * Whether the request carries the token; if not, it is answered 401 with the Bearer challenge, or 429
     * while its address must wait. No token is no guess.
     */
    public static boolean admits(WebappGate gate, Exchange exchange) throws IOException {
        String presented = InstallToken.bearer(exchange.header("Authorization"));
        if (presented != null) {
            GuessLimiter.Verdict verdict = verdict(gate, exchange, presented);
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
    public static GuessLimiter.Verdict verdict(WebappGate gate, Exchange exchange, String presented) {
        return gate.guesses().check(gate.client(exchange), exchange.contextPath() + exchange.path(),
                () -> gate.tokenMatches(presented));
    }

    /** The API's answer to an address that must wait: 429, Retry-After, problem+json. */
    public static void tooManyGuesses(Exchange exchange, GuessLimiter.Verdict verdict) throws IOException {
        exchange.header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
        Problem.send(exchange, 429, "Too Many Requests", "too many wrong secrets from your address; try again in "
                + verdict.retryAfterSeconds() + " seconds");
    }
}
