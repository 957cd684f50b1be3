package dev.upgradegate.gate.install;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.gate.maintenance.MaintenanceOrder;
import dev.upgradegate.gate.template.Markup;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * Manual maintenance from the wizard. The wizard is open only while the webapp is not UP, and
 * maintenance only stands in for UP, so here it serves two moments: before an upgrade, to keep
 * visitors out after it until the admin has checked the site through the bypass URL; and in
 * MAINTENANCE (not UP, so the wizard is open), to turn it off. While UP, the API, the CLI and JMX do it.
 */
final class MaintenanceCard {

    /** Not {@code /maintenance}: that is the token API's, which {@code MaintenanceEndpoint} answers first. */
    static final String PATH = "/site-maintenance";
    private static final PageTemplate CARD = PageTemplate.resource(MaintenanceCard.class, "maintenance-card.html");

    private final Pages pages;

    MaintenanceCard(Pages pages) {
        this.pages = pages;
    }

    Markup card(Exchange exchange, Session session) {
        Maintenance manual = pages.gate.maintenance();
        Model model = new Model()
                .put("action", pages.url(exchange, PATH))
                .put("csrf", session.csrf)
                .put("on", manual != null);
        if (manual != null) {
            model.put("until", manual.untilMillis() == 0 ? null : Formats.when(manual.untilMillis()))
                    .put("message", manual.message())
                    .put("bypass", MaintenanceEndpoint.bypassPath(exchange.contextPath(), pages.gate.installPath(),
                            manual.secret()));
        }
        return CARD.render(model);
    }

    void post(Exchange exchange, Session session, Map<String, String> form) throws IOException {
        WizardGate gate = pages.gate;
        try {
            if ("off".equals(form.get("action"))) {
                gate.maintenanceOff(gate.client(exchange));
            } else if ("on".equals(form.get("action"))) {
                gate.maintenanceOn(MaintenanceOrder.of(form.get("message"), null, form.get("minutes"), null,
                        System.currentTimeMillis()), gate.client(exchange));
            } else {
                pages.message(exchange, 400, "Bad Request", session, "Choose on or off.");
                return;
            }
        } catch (IllegalArgumentException e) {
            pages.message(exchange, 400, "Bad Request", session, "Maintenance was not changed: " + e.getMessage() + ".");
            return;
        } catch (SQLException e) {
            pages.message(exchange, 503, "Database unavailable", session,
                    "The database cannot be reached, so maintenance was not changed. Try again shortly.");
            return;
        }
        pages.redirect(exchange, "/overview");
    }
}
