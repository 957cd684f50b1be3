package dev.upgradegate.gate.install;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.template.Markup;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.SchemaState;

/**
 * The way past a failed migration that the engine recorded: shown only while the history holds one. The
 * administrator confirms the script by name, and only that record goes.
 */
final class RepairCard {

    /** The wizard's repair form; {@code {install}/repair} is the API's (Bearer token). */
    static final String PATH = "/repair-history";
    private static final PageTemplate CARD = PageTemplate.resource(RepairCard.class, "repair-card.html");

    private final Pages pages;

    RepairCard(Pages pages) {
        this.pages = pages;
    }

    /** The card, or nothing while the history records no failure, or the database is out of reach. */
    Markup card(Exchange exchange, Session session) {
        SchemaState schema;
        try {
            schema = pages.gate.withConnection(c -> pages.gate.engine().inspect(c));
        } catch (Exception unreachable) {
            return null;
        }
        if (schema.failed() == null) {
            return null;
        }
        return CARD.render(new Model()
                .put("engine", pages.engineName())
                .put("script", schema.failed().file())
                .put("action", pages.url(exchange, PATH))
                .put("csrf", session.csrf));
    }

    void post(Exchange exchange, Session session, Map<String, String> form) throws IOException {
        if (!"yes".equals(form.get("confirm"))) {
            pages.message(exchange, 400, "Not confirmed", session,
                    "Tick the box that names the failed migration to remove its record.");
            return;
        }
        HistoryRepair.Result result;
        try {
            result = pages.gate.repair(pages.gate.client(exchange), form.get("script"));
        } catch (SQLException | MigrationException e) {
            pages.message(exchange, 503, "Database unavailable", session,
                    "The database cannot be reached, so nothing was repaired. Try again shortly.");
            return;
        }
        if (result == HistoryRepair.Result.BUSY) {
            pages.message(exchange, 409, "Upgrade running", session, "An upgrade is running: nothing was repaired.");
            return;
        }
        if (result == HistoryRepair.Result.NOT_CONFIRMED) {
            pages.message(exchange, 409, "Changed meanwhile", session,
                    "The failed migration is not the one you confirmed any more. Look at the overview again.");
            return;
        }
        pages.redirect(exchange, "/overview");
    }
}
