package dev.upgradegate.gate.install;

import java.io.IOException;

import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * How the upgrade ended. A success is shown once, and closes the install page: a second look, or a stale
 * link, gets {@link UpgradeDone}, which names nothing. A failure shows the database's words, the backup,
 * the way past a failed migration, and a retry.
 */
final class ResultPage {

    private static final PageTemplate SUCCEEDED = PageTemplate.resource(ResultPage.class, "result-ok.html");
    private static final PageTemplate FAILED = PageTemplate.resource(ResultPage.class, "result-failed.html");

    private final Pages pages;
    private final RepairCard repair;

    ResultPage(Pages pages, RepairCard repair) {
        this.pages = pages;
        this.repair = repair;
    }

    void page(Exchange exchange, Session session) throws IOException {
        WizardGate gate = pages.gate;
        UpgradeProgress run = gate.progress();
        if (run == null || run.running()) {
            pages.redirect(exchange, run == null ? "/overview" : "/progress");
            return;
        }
        String webapp = gate.webapp().name();
        if (run.succeeded()) {
            if (!run.firstResultView()) {
                UpgradeDone.page(exchange, webapp);
                return;
            }
            Model model = new Model()
                    .put("version", run.toVersion())
                    .put("webapp", webapp)
                    .put("ran", run.ran().size())
                    .put("elapsed", Formats.elapsed(run))
                    .put("site", gate.webapp().contextPath() + "/");
            gate.closeResult();
            Page.send(exchange, 200, pages.frame(exchange, "Upgraded", Frame.Step.RESULT, null), SUCCEEDED.render(model));
            return;
        }
        Backup backup = gate.latestBackup();
        Page.send(exchange, 200, pages.frame(exchange, "Upgrade Failed", Frame.Step.RESULT, session),
                FAILED.render(new Model()
                        .put("changeset", run.failedChangeset() == null ? "(none: before the first)"
                                : run.failedChangeset().toString())
                        .put("error", run.error())
                        .put("ran", run.ran().size())
                        .put("backup", backup == null ? null : BackupStep.details(backup))
                        .put("repair", repair.card(exchange, session))
                        .put("retry", pages.url(exchange, "/backup"))
                        .put("log", pages.url(exchange, "/log"))
                        .put("overview", pages.url(exchange, "/overview"))));
    }
}
