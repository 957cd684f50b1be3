package dev.upgradegate.gate.install;

import java.io.IOException;
import java.sql.SQLException;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.template.Markup;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;
import dev.upgradegate.migrations.LockInfo;
import dev.upgradegate.migrations.UpgradeLock;

/** The way out of a lock left by a killed or hung upgrade: shown only when the lock really is stale. */
final class LockCard {

    private static final PageTemplate CARD = PageTemplate.resource(LockCard.class, "lock-card.html");

    private final Pages pages;

    LockCard(Pages pages) {
        this.pages = pages;
    }

    /** The card, or nothing while the lock is free, live, or the database out of reach. */
    Markup card(Exchange exchange, Session session) {
        WizardGate gate = pages.gate;
        LockInfo lock;
        try {
            lock = gate.withConnection(c -> UpgradeLock.inspect(c, gate.hostSettings().lockStaleSeconds()));
        } catch (Exception unreachable) {
            return null;
        }
        if (!lock.stale(gate.hostSettings().lockStaleSeconds())) {
            return null;
        }
        return CARD.render(new Model()
                .put("interrupted", lock.interrupted())
                .put("staleSeconds", gate.hostSettings().lockStaleSeconds())
                .put("lock", lock)
                .put("action", pages.url(exchange, "/unlock"))
                .put("csrf", session.csrf));
    }

    void post(Exchange exchange, Session session) throws IOException {
        UpgradeLock.Release result;
        try {
            result = pages.gate.releaseStaleLock(pages.gate.client(exchange));
        } catch (SQLException e) {
            pages.message(exchange, 503, "Database unavailable", session,
                    "The database cannot be reached, so the lock was not released. Try again shortly.");
            return;
        }
        if (result == UpgradeLock.Release.REFUSED_LIVE_OWNER) {
            pages.message(exchange, 409, "Lock in use", session,
                    "The lock's owner is alive and renewing it: an upgrade is running. It was not released.");
            return;
        }
        pages.redirect(exchange, "/overview");
    }
}
