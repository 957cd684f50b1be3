package dev.upgradegate.gate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.http.ClientAddress;
import dev.upgradegate.gate.http.FakeExchange;

class TestBearerCheck {

    private static final String TOKEN = "a-long-enough-test-token";

    /** Two wrong guesses per address, as {@code install.signInLimit=2}. */
    private final BearerCheck bearer = new BearerCheck(new GuessLimiter(2, 1000), new ClientAddress(List.of()),
            InstallToken.of(TOKEN));

    @Test
    void theRightTokenIsAdmittedAndNothingIsAnswered() throws IOException {
        FakeExchange exchange = request("Bearer " + TOKEN);
        assertTrue(bearer.admits(exchange));
        assertEquals(-1, exchange.status());
        assertFalse(exchange.bodyOpened());
    }

    @Test
    void noTokenIsAChallengeAndNoGuess() throws IOException {
        for (int i = 0; i < 5; i++) {
            FakeExchange exchange = request(null);
            assertFalse(bearer.admits(exchange));
            assertEquals(401, exchange.status(), "attempt " + i);
            assertEquals("Bearer realm=\"UpgradeGate\"", exchange.responseHeader("WWW-Authenticate"));
            assertEquals("{\"type\":\"about:blank\",\"status\":401,\"title\":\"Unauthorized\",\"detail\":\"send the"
                    + " install token as Authorization: Bearer \\u003ctoken\\u003e\"}", exchange.bodyText());
        }
    }

    @Test
    void wrongTokensAreCountedThenTheAddressMustWait() throws IOException {
        for (int i = 0; i < 2; i++) {
            FakeExchange wrong = request("Bearer not-the-token");
            assertFalse(bearer.admits(wrong));
            assertEquals(401, wrong.status());
            assertNull(wrong.responseHeader("Retry-After"));
        }
        FakeExchange waiting = request("Bearer " + TOKEN);
        assertFalse(bearer.admits(waiting), "even the right token waits once the limit is reached");
        assertEquals(429, waiting.status());
        assertTrue(Long.parseLong(waiting.responseHeader("Retry-After")) > 0);
        assertNull(waiting.responseHeader("WWW-Authenticate"));
    }

    private static FakeExchange request(String authorization) {
        return new FakeExchange("POST", "/install/upgrade", "/shop").with("Authorization", authorization);
    }
}
