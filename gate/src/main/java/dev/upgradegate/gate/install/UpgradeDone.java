package dev.upgradegate.gate.install;

import java.io.IOException;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.gate.security.InstallAccess;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * What a stale link to the wizard's last pages gets once the webapp is UP: a reloaded or bookmarked
 * progress or result page says that the upgrade is done and leads to the site, where the webapp's raw
 * 404 would say nothing. Anyone may follow such a link, so it names no version and no changeset.
 */
final class UpgradeDone {

    private static final PageTemplate PAGE = PageTemplate.resource(UpgradeDone.class, "upgrade-done.html");

    private UpgradeDone() {
    }

    /** Whether {@code resource} is one of the pages a stale link may point at. */
    static boolean answers(String resource) {
        return InstallEndpoint.PROGRESS.equals(resource) || InstallEndpoint.PROGRESS_JSON.equals(resource)
                || InstallEndpoint.RESULT.equals(resource);
    }

    static void send(Exchange exchange, WebappParts gate, String resource) throws IOException {
        if (!"GET".equals(exchange.method()) && !"HEAD".equals(exchange.method())) {
            InstallAccess.notFound(exchange);
            return;
        }
        if (InstallEndpoint.PROGRESS_JSON.equals(resource)) {
            // A progress page still open in a tab polls this: "not running" sends it on to the result, so here.
            Responses.json(exchange, 200, new Json().field("running", false));
            return;
        }
        page(exchange, gate.webapp().name());
    }

    static void page(Exchange exchange, String webapp) throws IOException {
        Page.send(exchange, 200, new Frame("Upgrade done", webapp, Frame.Step.NONE, null, null),
                PAGE.render(new Model().put("webapp", webapp).put("site", exchange.contextPath() + "/")));
    }
}
