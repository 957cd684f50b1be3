package dev.upgradegate.gate.install;

import static java.util.Map.entry;

import java.io.IOException;
import java.util.Map;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.RequestFields;

/**
 * The browser wizard under the install path: sign in, overview, licence, backup, start, progress,
 * result, health. Every change is a POST carrying the session's CSRF token, answered by a redirect;
 * a GET only ever shows. This class routes; each step is a class of its own, its markup a template beside it.
 */
final class Wizard {

    /** The wizard's resources and the methods each takes, as the Allow header says them. */
    private static final Map<String, String> ALLOW = Map.ofEntries(
            entry("", "GET"), entry("/", "GET"), entry("/overview", "GET"), entry("/update-sql", "GET"),
            entry("/update.sql", "GET"), entry("/progress", "GET"), entry("/progress.json", "GET"),
            entry("/result", "GET"), entry("/log", "GET"), entry("/health", "GET"),
            entry("/signin", "GET, POST"), entry("/licence", "GET, POST"), entry("/backup", "GET, POST"),
            entry("/start", "GET, POST"),
            entry("/signout", "POST"), entry("/unlock", "POST"), entry(RepairCard.PATH, "POST"),
            entry(MaintenanceCard.PATH, "POST"));

    private final Pages pages;
    private final SignInStep signIn;
    private final OverviewStep overview;
    private final SqlPreview sql;
    private final LicenceStep licence;
    private final BackupStep backup;
    private final StartStep start;
    private final ProgressPage progress;
    private final ResultPage result;
    private final HealthPage health;
    private final LockCard lock;
    private final RepairCard repair;
    private final MaintenanceCard maintenance;

    Wizard(WebappParts gate) {
        this(new GateCalls(gate));
    }

    Wizard(WizardGate gate) {
        pages = new Pages(gate);
        signIn = new SignInStep(pages);
        licence = new LicenceStep(pages);
        lock = new LockCard(pages);
        repair = new RepairCard(pages);
        maintenance = new MaintenanceCard(pages);
        overview = new OverviewStep(pages, licence, lock, repair, maintenance);
        sql = new SqlPreview(pages);
        backup = new BackupStep(pages, licence);
        start = new StartStep(pages, licence);
        progress = new ProgressPage(pages);
        result = new ResultPage(pages, repair);
        health = new HealthPage(pages);
    }

    /** @return whether {@code resource} is one of the wizard's */
    boolean handle(Exchange exchange, String resource) throws IOException {
        String allow = ALLOW.get(resource);
        if (allow == null) {
            return false;
        }
        boolean post = "POST".equals(exchange.method());
        boolean get = "GET".equals(exchange.method()) || "HEAD".equals(exchange.method());
        if (!(get && allow.startsWith("GET")) && !(post && allow.endsWith("POST"))) {
            exchange.header("Allow", allow);
            pages.message(exchange, 405, "Method Not Allowed", null,
                    "This page does not take a " + exchange.method() + ".");
            return true;
        }
        Session session = pages.sessions.find(exchange);
        if (resource.equals("/signin")) {
            if (post) {
                signIn.post(exchange);
            } else if (session != null) {
                pages.redirect(exchange, "");
            } else {
                signIn.page(exchange, 200, null);
            }
        } else if (session == null) {
            if (post) {
                pages.message(exchange, 403, "Forbidden", null, "Your session has ended. Sign in again.");
            } else {
                pages.redirect(exchange, "/signin");
            }
        } else if (post) {
            Map<String, String> form = RequestFields.form(exchange);
            if (Sessions.csrfMatches(session, form.get("csrf"))) {
                post(exchange, resource, session, form);
            } else {
                pages.message(exchange, 403, "Forbidden", session,
                        "This form has expired or did not come from this page. Go back, reload, and try again.");
            }
        } else {
            get(exchange, resource, session);
        }
        return true;
    }

    private void post(Exchange exchange, String resource, Session session, Map<String, String> form) throws IOException {
        switch (resource) {
            case "/signout":
                pages.sessions.end(exchange, session, pages.cookiePath(exchange));
                pages.redirect(exchange, "/signin");
                break;
            case "/licence":
                licence.post(exchange, session, form);
                break;
            case "/backup":
                backup.post(exchange, session, form);
                break;
            case "/start":
                start.post(exchange, session);
                break;
            case "/unlock":
                lock.post(exchange, session);
                break;
            case RepairCard.PATH:
                repair.post(exchange, session, form);
                break;
            default:
                maintenance.post(exchange, session, form);
        }
    }

    private void get(Exchange exchange, String resource, Session session) throws IOException {
        switch (resource) {
            case "": case "/":
                pages.redirect(exchange, pages.landing());
                break;
            case "/overview":
                overview.page(exchange, session);
                break;
            case "/update-sql":
                sql.page(exchange, session);
                break;
            case "/update.sql":
                sql.file(exchange);
                break;
            case "/licence":
                licence.page(exchange, session, 200, null);
                break;
            case "/backup":
                backup.page(exchange, session, 200, null);
                break;
            case "/start":
                start.page(exchange, session);
                break;
            case "/progress":
                progress.page(exchange, session);
                break;
            case "/progress.json":
                progress.json(exchange);
                break;
            case "/result":
                result.page(exchange, session);
                break;
            case "/log":
                progress.log(exchange);
                break;
            default:
                health.page(exchange, session);
        }
    }
}
