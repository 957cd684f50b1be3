package dev.upgradegate.gate.install;

import java.io.IOException;

import dev.upgradegate.gate.status.State;
import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.template.Markup;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;
import dev.upgradegate.migrations.MigrationEngine;

/** What every step of the wizard shares: the gate, the sessions, the URLs under the install path, the frame. */
final class Pages {

    private static final PageTemplate MESSAGE = PageTemplate.resource(Pages.class, "message.html");
    private static final PageTemplate BADGE = PageTemplate.resource(Pages.class, "badge.html");

    final WizardGate gate;
    final Sessions sessions = new Sessions();

    Pages(WizardGate gate) {
        this.gate = gate;
    }

    String url(Exchange exchange, String resource) {
        return exchange.contextPath() + gate.installPath() + (resource.isEmpty() ? "/" : resource);
    }

    String cookiePath(Exchange exchange) {
        return exchange.contextPath() + gate.installPath();
    }

    void redirect(Exchange exchange, String resource) throws IOException {
        Page.redirect(exchange, url(exchange, resource));
    }

    /** @param session the signed-in session, whose sign-out form the frame shows, or {@code null} */
    Frame frame(Exchange exchange, String title, Frame.Step step, Session session) {
        return new Frame(title, gate.webapp().name(), step, session == null ? null : url(exchange, "/signout"),
                session == null ? null : session.csrf);
    }

    void message(Exchange exchange, int status, String title, Session session, String text) throws IOException {
        Page.send(exchange, status, frame(exchange, title, Frame.Step.NONE, session), MESSAGE.render(new Model()
                .put("title", title).put("text", text).put("back", url(exchange, ""))));
    }

    /** Where {@code {install}/} leads: the run if there is one, its failure if it failed, else the overview. */
    String landing() {
        UpgradeProgress run = gate.progress();
        if (run != null && run.running()) {
            return "/progress";
        }
        if (run != null && !run.succeeded() && gate.status().state() == State.UPGRADE_FAILED) {
            return "/result";
        }
        return "/overview";
    }

    /** The engine's name as people write it, or {@code none}. */
    String engineName() {
        MigrationEngine engine = gate.engine();
        return engine == null ? "none" : engine.name().equals(MigrationEngine.FLYWAY) ? "Flyway" : "Liquibase";
    }

    static Markup badge(State state) {
        String tone = state == State.UP ? "ok" : state.upgradable() || state == State.UPGRADE_RUNNING ? "warn" : "bad";
        return BADGE.render(new Model().put("tone", tone).put("name", state.name()).put("title", state.title()));
    }
}
