package dev.upgradegate.gate.install;

import java.io.IOException;
import java.util.Map;
import java.util.logging.Logger;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.security.GuessLimiter;
import dev.upgradegate.gate.http.RequestFields;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * Signing in with the install token: the form is bound to the browser by {@link SignInForm}, and wrong
 * tokens count against the host's {@link GuessLimiter}.
 */
final class SignInStep {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");
    private static final PageTemplate PAGE = PageTemplate.resource(SignInStep.class, "signin.html");

    private final Pages pages;
    private final SignInForm signInForm = new SignInForm();

    SignInStep(Pages pages) {
        this.pages = pages;
    }

    /** @param error what went wrong with the last attempt, or {@code null} */
    void page(Exchange exchange, int status, String error) throws IOException {
        String nonce = pages.sessions.nonce(exchange, pages.cookiePath(exchange));
        Page.send(exchange, status, pages.frame(exchange, "Sign in", Frame.Step.SIGN_IN, null), PAGE.render(new Model()
                .put("error", error)
                .put("action", pages.url(exchange, "/signin"))
                .put("csrf", signInForm.csrf(nonce, System.currentTimeMillis()))));
    }

    void post(Exchange exchange) throws IOException {
        Map<String, String> form = RequestFields.form(exchange);
        if (!signInForm.valid(exchange.cookie(Sessions.COOKIE), form.get("csrf"), System.currentTimeMillis())) {
            page(exchange, 403, "The sign-in form had expired. Enter the token again.");
            return;
        }
        WizardGate gate = pages.gate;
        String client = gate.client(exchange);
        String token = form.get("token");
        GuessLimiter.Verdict verdict = gate.guesses().check(client, pages.url(exchange, "/signin"),
                () -> gate.tokenMatches(token));
        if (verdict.retryAfterSeconds() > 0) {
            exchange.header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
            pages.message(exchange, 429, "Too Many Attempts", null, "Too many wrong tokens from your address. Wait "
                    + verdict.retryAfterSeconds() + " seconds, then try again.");
            return;
        }
        if (!verdict.right()) {
            page(exchange, 401, "That is not the install token.");
            return;
        }
        if (pages.sessions.create(exchange, pages.cookiePath(exchange)) == null) {
            pages.message(exchange, 503, "Busy", null, "Too many sessions are open. Try again in a few minutes.");
            return;
        }
        LOG.info(() -> gate.webapp().name() + ": install wizard signed in from " + client);
        pages.redirect(exchange, "");
    }
}
