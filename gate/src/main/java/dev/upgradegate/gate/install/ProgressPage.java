package dev.upgradegate.gate.install;

import java.io.IOException;

import dev.upgradegate.gate.upgrade.UpgradeProgress;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * The upgrade as it runs: the page, which polls the JSON with its script and reloads itself without one,
 * and the full log to download.
 */
final class ProgressPage {

    static final int LOG_TAIL = 15;
    private static final PageTemplate PAGE = PageTemplate.resource(ProgressPage.class, "progress.html");

    private final Pages pages;

    ProgressPage(Pages pages) {
        this.pages = pages;
    }

    void page(Exchange exchange, Session session) throws IOException {
        UpgradeProgress run = pages.gate.progress();
        if (run == null || !run.running()) {
            pages.redirect(exchange, run == null ? "/overview" : "/result");
            return;
        }
        int total = run.total();
        String result = pages.url(exchange, "/result");
        Page.send(exchange, 200, pages.frame(exchange, "Upgrading", Frame.Step.UPGRADE, session).refresh(result).script(),
                PAGE.render(new Model()
                        .put("poll", pages.url(exchange, "/progress.json"))
                        .put("done", result)
                        .put("webapp", pages.gate.webapp().name())
                        .put("version", run.toVersion())
                        .put("max", Math.max(1, total))
                        .put("value", Math.max(0, run.current() - 1))
                        .put("count", total < 0 ? "preparing" : run.current() + " of " + total)
                        .put("changeset", run.changeset() == null ? "-" : run.changeset())
                        .put("elapsed", Formats.elapsed(run))
                        .put("log", String.join("\n", run.logTail(LOG_TAIL)))));
    }

    void json(Exchange exchange) throws IOException {
        UpgradeProgress run = pages.gate.progress();
        if (run == null) {
            Responses.json(exchange, 200, new Json().field("running", false));
            return;
        }
        Responses.json(exchange, 200, new Json()
                .field("running", run.running())
                .field("current", run.current())
                .field("total", run.total())
                .field("changeset", run.changeset())
                .field("elapsed", Formats.elapsed(run))
                .field("log", run.logTail(LOG_TAIL)));
    }

    void log(Exchange exchange) throws IOException {
        UpgradeProgress run = pages.gate.progress();
        Page.text(exchange, run == null ? "No upgrade has run on this node since it started.\n"
                : String.join("\n", run.log()) + "\n", pages.gate.webapp().name() + "-upgrade.log");
    }
}
