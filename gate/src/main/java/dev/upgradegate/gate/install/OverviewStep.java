package dev.upgradegate.gate.install;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.status.Status;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;
import dev.upgradegate.migrations.MigrationEngine;
import dev.upgradegate.migrations.PendingChangeset;

/**
 * The overview: the state and why, what an upgrade would run, the pre-flight checks, the cards for a stale
 * lock, a failed migration and maintenance, and the way on.
 */
final class OverviewStep {

    private static final PageTemplate PAGE = PageTemplate.resource(OverviewStep.class, "overview.html");

    private final Pages pages;
    private final LicenceStep licence;
    private final LockCard lock;
    private final RepairCard repair;
    private final MaintenanceCard maintenance;

    OverviewStep(Pages pages, LicenceStep licence, LockCard lock, RepairCard repair, MaintenanceCard maintenance) {
        this.pages = pages;
        this.licence = licence;
        this.lock = lock;
        this.repair = repair;
        this.maintenance = maintenance;
    }

    void page(Exchange exchange, Session session) throws IOException {
        WizardGate gate = pages.gate;
        Status status = gate.status();
        State state = status.state();
        Model model = new Model()
                .put("webapp", gate.webapp().name())
                .put("contextPath", gate.webapp().contextPath().isEmpty() ? "/" : gate.webapp().contextPath())
                .put("badge", Pages.badge(state))
                .put("schema", Formats.orNone(status.schemaVersion()))
                .put("bundle", Formats.orNone(status.bundleVersion()))
                .put("engine", pages.engineName())
                .put("location", gate.engine() == null ? "" : gate.engine().location())
                .put("versionSource", Formats.orNone(gate.bundleVersionSource()))
                .put("ahead", status.ahead().isEmpty() ? null : String.join(", ", status.ahead()))
                .put("plan", state.upgradable() || state == State.UPGRADE_RUNNING);
        for (State each : State.values()) {
            model.put(each.name(), each == state);
        }
        if (state.upgradable() || state == State.UPGRADE_RUNNING) {
            plan(model, exchange);
        }
        List<Model> checks = new ArrayList<>();
        boolean allPassed = true;
        for (Preflight.Check check : gate.preflight()) {
            allPassed &= check.passed;
            checks.add(new Model().put("passed", check.passed).put("name", check.name).put("detail", check.detail));
        }
        model.put("checks", checks)
                .put("staleLock", lock.card(exchange, session))
                .put("repair", repair.card(exchange, session))
                .put("maintenance", maintenance.card(exchange, session))
                .put("upgradable", state.upgradable())
                .put("next", pages.url(exchange, licence.required() ? "/licence" : "/backup"))
                .put("allPassed", allPassed)
                .put("running", state == State.UPGRADE_RUNNING)
                .put("progress", pages.url(exchange, "/progress"))
                .put("health", pages.url(exchange, "/health"));
        Page.send(exchange, 200, pages.frame(exchange, "Overview", Frame.Step.OVERVIEW, session), PAGE.render(model));
    }

    /** What an upgrade would run, as the engine plans it now. */
    private void plan(Model model, Exchange exchange) {
        WizardGate gate = pages.gate;
        model.put("sqlPage", pages.url(exchange, "/update-sql")).put("sqlFile", pages.url(exchange, "/update.sql"));
        List<PendingChangeset> pending;
        try {
            pending = gate.withConnection(c -> gate.engine().inspect(c).pending());
        } catch (Exception ex) {
            model.put("planned", false).put("planError", ex.getMessage());
            return;
        }
        // A Flyway migration is a version, a description and a script where Liquibase has id, author and file.
        boolean flyway = gate.engine() != null && MigrationEngine.FLYWAY.equals(gate.engine().name());
        List<Model> changesets = new ArrayList<>();
        for (PendingChangeset changeset : pending) {
            changesets.add(new Model().put("number", changesets.size() + 1).put("id", changeset.id())
                    .put("author", changeset.author()).put("file", changeset.file()));
        }
        model.put("planned", true)
                .put("changesets", changesets)
                .put("any", !changesets.isEmpty())
                .put("idLabel", flyway ? "Version" : "Id")
                .put("authorLabel", flyway ? "Description" : "Author")
                .put("fileLabel", flyway ? "Script" : "File");
    }
}
