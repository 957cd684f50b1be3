package dev.upgradegate.gate.install;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;
import dev.upgradegate.migrations.PendingChangeset;

/**
 * What runs where: the state, the versions, the database and its cluster, UpgradeGate and Java, and the last
 * upgrades here.
 */
final class HealthPage {

    private static final PageTemplate PAGE = PageTemplate.resource(HealthPage.class, "health.html");

    private final Pages pages;

    HealthPage(Pages pages) {
        this.pages = pages;
    }

    void page(Exchange exchange, Session session) throws IOException {
        WizardGate gate = pages.gate;
        Status status = gate.status();
        String database;
        try {
            database = gate.withConnection(c -> c.getMetaData().getDatabaseProductName() + " "
                    + c.getMetaData().getDatabaseProductVersion());
        } catch (Exception ex) {
            database = "unreachable: " + ex.getMessage();
        }
        String own = HealthPage.class.getPackage().getImplementationVersion();
        List<Model> history = new ArrayList<>();
        for (UpgradeProgress run : gate.history()) {
            List<String> ids = new ArrayList<>();
            for (PendingChangeset changeset : run.ran()) {
                ids.add(changeset.id());
            }
            history.add(new Model()
                    .put("when", Formats.when(run.startedMillis()))
                    .put("client", run.client())
                    .put("took", Formats.elapsed(run))
                    .put("running", run.running())
                    .put("succeeded", !run.running() && run.succeeded())
                    .put("failed", !run.running() && !run.succeeded())
                    .put("changesets", ids.isEmpty() ? "none" : String.join(", ", ids)));
        }
        Page.send(exchange, 200, pages.frame(exchange, "System health", Frame.Step.NONE, session), PAGE.render(new Model()
                .put("badge", Pages.badge(status.state()))
                .put("bundle", Formats.orNone(status.bundleVersion()))
                .put("schema", Formats.orNone(status.schemaVersion()))
                .put("database", database)
                .put("cluster", gate.cluster().cluster() ? gate.cluster().toString() : null)
                .put("own", own == null ? "development build" : own)
                .put("java", System.getProperty("java.version"))
                .put("history", history)
                .put("any", !history.isEmpty())
                .put("overview", pages.url(exchange, "/overview"))));
    }
}
