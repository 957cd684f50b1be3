package dev.upgradegate.gate.install;

import java.io.IOException;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeRunner;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * The last step before the upgrade: what will run from what to what, on which backup, and the button. Neither
 * the page nor the button works before the licence is agreed and a backup made or confirmed; the gate itself
 * refuses any state but those an upgrade may start from.
 */
final class StartStep {

    private static final PageTemplate PAGE = PageTemplate.resource(StartStep.class, "start.html");

    private final Pages pages;
    private final LicenceStep licence;

    StartStep(Pages pages, LicenceStep licence) {
        this.pages = pages;
        this.licence = licence;
    }

    /** The steps before the upgrade that this session still owes, as the resource of the first, or {@code null}. */
    private String missingStep(Session session) {
        if (licence.owed(session)) {
            return "/licence";
        }
        return session.backedUp() ? null : "/backup";
    }

    void page(Exchange exchange, Session session) throws IOException {
        String missing = missingStep(session);
        if (missing != null) {
            pages.redirect(exchange, missing);
            return;
        }
        Status status = pages.gate.status();
        if (!status.state().upgradable()) {
            pages.redirect(exchange, pages.landing());
            return;
        }
        Page.send(exchange, 200, pages.frame(exchange, "Start", Frame.Step.UPGRADE, session), PAGE.render(new Model()
                .put("from", status.schemaVersion() == null ? "an empty database" : "schema " + status.schemaVersion())
                .put("to", status.bundleVersion())
                .put("ownBackup", session.ownBackup)
                .put("backupFile", session.ownBackup ? null : session.backup.file())
                .put("action", pages.url(exchange, "/start"))
                .put("csrf", session.csrf)
                .put("overview", pages.url(exchange, "/overview"))));
    }

    void post(Exchange exchange, Session session) throws IOException {
        String missing = missingStep(session);
        if (missing != null) {
            pages.redirect(exchange, missing);
            return;
        }
        WizardGate gate = pages.gate;
        UpgradeRunner.Start start = gate.startUpgrade(gate.client(exchange), true);
        switch (start) {
            case STARTED:
                // The next attempt, should this one fail, needs a backup of its own.
                session.backup = null;
                session.ownBackup = false;
                pages.redirect(exchange, "/progress");
                break;
            case BUSY:
                pages.redirect(exchange, "/progress");
                break;
            case REFUSED:
                String node = gate.cluster().refusal();
                if (node != null && gate.status().state().upgradable()) {
                    pages.message(exchange, 409, "Upgrade refused on this node", session,
                            "Nothing has run: " + node + ".");
                } else {
                    pages.redirect(exchange, "/overview");
                }
                break;
            default:
                pages.message(exchange, 503, "Database unavailable", session,
                        "The database cannot be reached to take the upgrade lock. Nothing has run. Try again shortly.");
        }
    }
}
