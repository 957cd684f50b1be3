package dev.upgradegate.gate.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.gate.template.Markup;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * Writes the wizard's pages in their frame: one stylesheet and one script, both inline and allowed by their
 * hashes in the Content-Security-Policy, so that pages load nothing from anywhere and no injected script runs.
 */
final class Page {

    static final Markup STYLE = PageTemplate.resource(Page.class, "wizard.css").render(new Model());
    /** Polls the progress JSON; without JavaScript the page's meta refresh does the same job. */
    static final Markup SCRIPT = PageTemplate.resource(Page.class, "wizard.js").render(new Model());
    static final String CSP = "default-src 'none'; style-src '" + Responses.sha256(STYLE.toString()) + "'; script-src '"
            + Responses.sha256(SCRIPT.toString()) + "'; connect-src 'self'; img-src data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private static final PageTemplate FRAME = PageTemplate.resource(Page.class, "page.html");
    private static final PageTemplate SEE_OTHER = PageTemplate.resource(Page.class, "see-other.html");
    private static final String DOCTYPE = "<!DOCTYPE html>\n";

    private Page() {
    }

    static void send(Exchange exchange, int status, Frame frame, Markup body) throws IOException {
        List<Model> steps = new ArrayList<>();
        for (Frame.Step each : Frame.Step.values()) {
            if (each != Frame.Step.NONE) {
                steps.add(new Model().put("label", each.label).put("current", each == frame.step));
            }
        }
        Markup page = FRAME.render(new Model()
                .put("title", frame.title)
                .put("style", STYLE)
                .put("refresh", frame.refresh)
                .put("script", frame.script)
                .put("scriptText", SCRIPT)
                .put("webapp", frame.webapp)
                .put("signOut", frame.signOut)
                .put("csrf", frame.csrf)
                .put("indicator", frame.step != Frame.Step.NONE)
                .put("steps", steps)
                .put("body", body));
        Responses.send(exchange, status, Responses.HTML, CSP,
                (DOCTYPE + page + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** 303 See Other: after every POST, so that reloading a page never repeats an action. */
    static void redirect(Exchange exchange, String location) throws IOException {
        exchange.header("Location", location);
        Responses.send(exchange, 303, Responses.HTML, Responses.LOCKED_DOWN_CSP,
                (SEE_OTHER.render(new Model().put("location", location)) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Plain text, such as the update SQL or the log; {@code download} names the file to save it as. */
    static void text(Exchange exchange, String text, String download) throws IOException {
        if (download != null) {
            exchange.header("Content-Disposition", "attachment; filename=\"" + download + "\"");
        }
        Responses.send(exchange, 200, "text/plain;charset=UTF-8", Responses.LOCKED_DOWN_CSP,
                text.getBytes(StandardCharsets.UTF_8));
    }
}
