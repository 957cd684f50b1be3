package dev.upgradegate.gate.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Html;
import dev.upgradegate.gate.http.Responses;

/**
 * The wizard's page frame: one stylesheet and one script, both inline and allowed by their hashes in
 * the Content-Security-Policy, so that pages load nothing from anywhere and no injected script runs.
 */
final class Page {

    static final String STYLE = ""
            + ":root{color-scheme:light dark;--bg:#f3f5f8;--card:#fff;--ink:#172033;--muted:#566176;--line:#dde2ea;"
            + "--accent:#1d4ed8;--accent-ink:#fff;--ok:#15803d;--bad:#b91c1c;--warn:#a16207;--code:#f6f8fb}"
            + "@media (prefers-color-scheme:dark){:root{--bg:#10141c;--card:#181e2b;--ink:#e7ebf3;--muted:#a5afc2;"
            + "--line:#2b3446;--accent:#8ab4ff;--accent-ink:#0b1020;--ok:#4ade80;--bad:#f87171;--warn:#facc15;--code:#121826}}"
            + "*{box-sizing:border-box}"
            + "body{margin:0;background:var(--bg);color:var(--ink);font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}"
            + "a{color:var(--accent)}a:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible,"
            + "select:focus-visible,summary:focus-visible"
            + "{outline:3px solid var(--accent);outline-offset:2px}"
            + ".top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;"
            + "padding:.8rem 1.25rem;background:var(--card);border-bottom:1px solid var(--line)}"
            + ".brand{font-weight:700;letter-spacing:.01em}.brand span{color:var(--accent)}"
            + ".app{color:var(--muted);font-size:.95rem}.top form{margin:0}"
            + ".steps{display:flex;flex-wrap:wrap;gap:.35rem;list-style:none;margin:1.25rem auto 0;padding:0 1.25rem;max-width:60rem;"
            + "counter-reset:step}"
            + ".steps li{counter-increment:step;font-size:.85rem;color:var(--muted);padding:.25rem .7rem;border-radius:999px;"
            + "border:1px solid var(--line)}.steps li::before{content:counter(step) '. '}"
            + ".steps li[aria-current]{background:var(--accent);color:var(--accent-ink);border-color:var(--accent);font-weight:600}"
            + "main{max-width:60rem;margin:1rem auto 3rem;padding:0 1.25rem}"
            + ".card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.4rem 1.5rem;margin:0 0 1rem;"
            + "box-shadow:0 1px 2px rgba(16,24,40,.05)}"
            + "h1{font-size:1.55rem;line-height:1.25;margin:.2rem 0 .8rem}h2{font-size:1.1rem;margin:0 0 .75rem}"
            + "p{margin:0 0 .8rem}.muted{color:var(--muted)}"
            + "dl{display:grid;grid-template-columns:max-content 1fr;gap:.35rem 1.25rem;margin:0 0 .8rem}dt{color:var(--muted)}"
            + "dd{margin:0;overflow-wrap:anywhere}dd pre{margin:0}"
            + ".table{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.93rem}"
            + "th,td{text-align:left;padding:.45rem .6rem;border-bottom:1px solid var(--line);vertical-align:top}th{color:var(--muted);font-weight:600}"
            + "code,pre{font:.88rem/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}"
            + "pre{background:var(--code);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;overflow:auto;max-height:28rem;"
            + "white-space:pre-wrap;overflow-wrap:anywhere;margin:0 0 .8rem}"
            + ".badge{display:inline-block;font-size:.8rem;font-weight:600;padding:.15rem .6rem;border-radius:999px;border:1px solid currentColor}"
            + ".ok{color:var(--ok)}.bad{color:var(--bad)}.warn{color:var(--warn)}"
            + ".checks{list-style:none;margin:0;padding:0}.checks li{padding:.3rem 0}.checks b{display:inline-block;min-width:4.5rem}"
            + ".note{border-left:4px solid var(--warn);padding:.6rem .9rem;background:var(--code);border-radius:6px;margin:0 0 .8rem}"
            + ".error{border-left-color:var(--bad)}.success{border-left-color:var(--ok)}"
            + ".actions{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center;margin-top:1rem}"
            + "button,.button{font:inherit;font-weight:600;cursor:pointer;border-radius:8px;padding:.6rem 1.1rem;border:1px solid var(--accent);"
            + "background:var(--accent);color:var(--accent-ink);text-decoration:none;display:inline-block}"
            + ".secondary{background:transparent;color:var(--accent)}"
            + "label{display:block;font-weight:600;margin:0 0 .35rem}label.check{display:flex;gap:.5rem;align-items:center;font-weight:500}"
            // Every field alike, whatever its type: a bare <input> would get the browser's tiny default box.
            + "input:not([type=checkbox]):not([type=hidden]),textarea,select{font:inherit;width:100%;max-width:28rem;"
            + "padding:.55rem .7rem;border-radius:8px;border:1px solid var(--muted);background:var(--bg);color:var(--ink);"
            + "margin:0 0 .9rem}textarea{max-width:40rem;min-height:5rem}input[type=checkbox]{width:1.15rem;height:1.15rem;"
            + "flex:none}"
            + "ul.ways{margin:0;padding-left:1.2rem}ul.ways li{margin:0 0 1rem}ul.ways form{margin-top:.5rem}"
            + "progress{width:100%;height:.8rem;accent-color:var(--accent);margin:0 0 1rem}"
            + "h2:not(:first-child){margin-top:1.25rem}"
            + ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
            + "form.alt{margin-top:1.25rem;padding-top:1rem;border-top:1px solid var(--line)}"
            // At phone width a wide table becomes one block per row, each cell named by its column.
            + "@media (max-width:40rem){dl{grid-template-columns:1fr;gap:.1rem}dt{margin-top:.5rem}.card{padding:1.1rem}"
            + "h1{font-size:1.3rem}main{padding:0 .75rem}.top{padding:.6rem .75rem}.steps{padding:0 .75rem}"
            + "table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}"
            + "table.stack tr{display:block;padding:.5rem 0;border-bottom:1px solid var(--line)}"
            + "table.stack td{display:block;border:0;padding:.1rem 0}"
            + "table.stack td[data-label]::before{content:attr(data-label) ': ';color:var(--muted)}}";

    /** Polls the progress JSON; without JavaScript the page's meta refresh does the same job. */
    static final String SCRIPT = ""
            + "(function(){var r=document.getElementById('progress');if(!r)return;"
            + "var u=r.getAttribute('data-poll'),d=r.getAttribute('data-done');"
            + "function t(i,v){var e=document.getElementById(i);if(e)e.textContent=v;}"
            + "function poll(){fetch(u,{credentials:'same-origin',cache:'no-store'})"
            + ".then(function(x){if(!x.ok)throw new Error(x.status);return x.json();})"
            + ".then(function(j){if(!j.running){location.href=d;return;}"
            + "t('p-count',j.total<0?'preparing':j.current+' of '+j.total);t('p-id',j.changeset||'-');"
            + "t('p-elapsed',j.elapsed);t('p-log',j.log.join('\\n'));"
            + "var b=document.getElementById('p-bar');if(b&&j.total>0){b.max=j.total;b.value=Math.max(0,j.current-1);}"
            + "setTimeout(poll,1000);})"
            + ".catch(function(){location.href=d;});}"
            + "setTimeout(poll,1000);})();";

    static final String CSP = "default-src 'none'; style-src '" + Responses.sha256(STYLE) + "'; script-src '"
            + Responses.sha256(SCRIPT) + "'; connect-src 'self'; img-src data:; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    /** The wizard's steps, in order, for the indicator at the top. */
    enum Step {
        SIGN_IN("Sign in"), OVERVIEW("Overview"), LICENCE("Licence"), BACKUP("Backup"), UPGRADE("Upgrade"),
        RESULT("Result"), NONE("");

        final String label;

        Step(String label) {
            this.label = label;
        }
    }

    private Page() {
    }

    static String e(Object text) {
        return Html.escape(text == null ? null : text.toString());
    }

    /**
     * Writes a whole page.
     *
     * @param signOut the sign-out form's action and CSRF token, or {@code null} when signed out
     * @param refresh a URL the page reloads to every few seconds (with {@code script}, only without
     *        JavaScript), or {@code null}
     */
    static void send(Exchange exchange, int status, String title, String webapp, Step step, String[] signOut,
                     String refresh, boolean script, String body) throws IOException {
        StringBuilder html = new StringBuilder(4096)
                .append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<meta name=\"robots\" content=\"noindex\">")
                .append("<title>").append(e(title)).append(" · UpgradeGate</title><style>").append(STYLE).append("</style>");
        if (refresh != null) {
            // With the script the page updates itself; the refresh is its fallback, or its only way without one.
            String meta = "<meta http-equiv=\"refresh\" content=\"" + (script ? 3 : 2) + ";url=" + e(refresh) + "\">";
            html.append(script ? "<noscript>" + meta + "</noscript>" : meta);
        }
        html.append("</head><body><header class=\"top\"><div class=\"brand\"><span aria-hidden=\"true\">&#9650;</span> UpgradeGate</div>")
                .append("<div class=\"app\">Webapp <strong>").append(e(webapp)).append("</strong></div>");
        if (signOut != null) {
            html.append("<form method=\"post\" action=\"").append(e(signOut[0])).append("\">")
                    .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(e(signOut[1])).append("\">")
                    .append("<button class=\"secondary\" type=\"submit\">Sign out</button></form>");
        }
        html.append("</header>");
        if (step != Step.NONE) {
            html.append("<nav aria-label=\"Upgrade steps\"><ol class=\"steps\">");
            for (Step each : Step.values()) {
                if (each != Step.NONE) {
                    html.append(each == step ? "<li aria-current=\"step\">" : "<li>").append(each.label).append("</li>");
                }
            }
            html.append("</ol></nav>");
        }
        html.append("<main id=\"main\">").append(body).append("</main>");
        if (script) {
            html.append("<script>").append(SCRIPT).append("</script>");
        }
        html.append("</body></html>\n");
        Responses.send(exchange, status, Responses.HTML, CSP, html.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** 303 See Other: after every POST, so that reloading a page never repeats an action. */
    static void redirect(Exchange exchange, String location) throws IOException {
        exchange.header("Location", location);
        Responses.send(exchange, 303, Responses.HTML, Responses.LOCKED_DOWN_CSP,
                ("<!DOCTYPE html><title>See Other</title><a href=\"" + e(location) + "\">Continue</a>\n")
                        .getBytes(StandardCharsets.UTF_8));
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
