package dev.upgradegate.gate.install;

import java.io.IOException;
import java.util.Map;
import java.util.logging.Logger;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/** The licence step, when there is a licence: the administrator must agree before the backup. */
final class LicenceStep {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");
    private static final PageTemplate PAGE = PageTemplate.resource(LicenceStep.class, "licence.html");

    private final Pages pages;

    LicenceStep(Pages pages) {
        this.pages = pages;
    }

    /** Whether there is a licence to agree to; an unreadable one counts, so that its page says why. */
    boolean required() {
        try {
            return Licence.text(pages.gate) != null;
        } catch (IOException ex) {
            return true;
        }
    }

    /** Whether {@code session} still owes this step. */
    boolean owed(Session session) {
        return !session.agreedToLicence && required();
    }

    /** @param error why the last answer was refused, or {@code null} */
    void page(Exchange exchange, Session session, int status, String error) throws IOException {
        WizardGate gate = pages.gate;
        String text;
        try {
            text = Licence.text(gate);
        } catch (IOException ex) {
            LOG.warning(() -> gate.webapp().name() + ": cannot read the licence: " + ex);
            pages.message(exchange, 500, "Licence unreadable", session,
                    "The licence file cannot be read; the server log says why.");
            return;
        }
        if (text == null) {
            pages.redirect(exchange, "/backup");
            return;
        }
        Page.send(exchange, status, pages.frame(exchange, "Licence", Frame.Step.LICENCE, session), PAGE.render(new Model()
                .put("webapp", gate.webapp().name())
                .put("version", gate.bundleVersion())
                .put("error", error)
                .put("text", text)
                .put("action", pages.url(exchange, "/licence"))
                .put("csrf", session.csrf)
                .put("agreed", session.agreedToLicence)
                .put("overview", pages.url(exchange, "/overview"))));
    }

    void post(Exchange exchange, Session session, Map<String, String> form) throws IOException {
        if (!"yes".equals(form.get("agree"))) {
            page(exchange, session, 400, "Tick \u201cI agree\u201d to continue.");
            return;
        }
        session.agreedToLicence = true;
        pages.redirect(exchange, "/backup");
    }
}
