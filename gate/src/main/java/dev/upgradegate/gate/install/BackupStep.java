package dev.upgradegate.gate.install;

import static dev.upgradegate.gate.install.Page.e;

import java.io.IOException;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Logger;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.install.Page.Step;

/**
 * The wizard's backup step: make UpgradeGate's backup, watch it being written, or rely on the admin's own.
 * A failed backup is no dead end: the page says why in plain words and every way forward, down to the
 * admin's own backup behind an explicit confirmation, even where {@code backup.allowOwn} is off.
 */
final class BackupStep {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    private final WizardGate gate;
    private final Wizard wizard;

    BackupStep(WizardGate gate, Wizard wizard) {
        this.gate = gate;
        this.wizard = wizard;
    }

    void page(Exchange exchange, Session session, int status, String error) throws IOException {
        if (!session.agreedToLicence && wizard.licenceStep()) {
            Page.redirect(exchange, wizard.url(exchange, "/licence"));
            return;
        }
        StringBuilder body = new StringBuilder("<div class=\"card\"><h1>Backup</h1>");
        if (error != null) {
            body.append("<p class=\"note error\" role=\"alert\">").append(e(error)).append("</p>");
        }
        Backups.Job job = session.backup;
        String refresh = null;
        if (job != null && job.running()) {
            refresh = wizard.url(exchange, "/backup");
            body.append("<p class=\"note\" role=\"status\">Making the backup&hellip; This page reloads by itself. ")
                    .append("The dump runs on the server: you may leave this page and come back.</p><dl>")
                    .append("<dt>File</dt><dd><code>").append(e(job.file() == null ? "(being created)" : job.file()))
                    .append("</code></dd><dt>Written so far</dt><dd>").append(e(Wizard.size(job.bytesSoFar())))
                    .append(" (compressed)</dd><dt>Elapsed</dt><dd>")
                    .append(e(Wizard.duration(System.currentTimeMillis() - job.startedMillis))).append("</dd></dl>")
                    .append("<div class=\"actions\"><a class=\"button secondary\" href=\"").append(e(refresh))
                    .append("\">Reload</a></div>");
        } else if (job != null && job.result() != null) {
            body.append("<p class=\"note success\" role=\"status\">The backup is written.</p>").append(details(job.result()))
                    .append(continueLink(exchange));
        } else if (session.ownBackup) {
            body.append("<p class=\"note\">You have confirmed that you have your own, current backup.</p>")
                    .append(continueLink(exchange));
        } else if (job != null) {
            failed(body, exchange, session, job);
        } else {
            body.append(what()).append(makeForm(exchange, session, "Make the backup now"));
            if (gate.settings().allowOwnBackup()) {
                body.append("<form class=\"alt\" method=\"post\" action=\"").append(e(wizard.url(exchange, "/backup")))
                        .append("\">").append(Wizard.csrf(session)).append("<input type=\"hidden\" name=\"action\" value=\"own\">")
                        .append("<p class=\"muted\">Or, if you have just backed the database up yourself:</p>")
                        .append("<label class=\"check\"><input type=\"checkbox\" name=\"own\" value=\"yes\" required>")
                        .append(" I have my own, current backup of this database</label>")
                        .append("<div class=\"actions\"><button class=\"secondary\" type=\"submit\">Skip the backup</button>")
                        .append("</div></form>");
            }
        }
        body.append("</div>");
        Page.send(exchange, status, "Backup", gate.webapp().name(), Step.BACKUP, wizard.signOut(exchange, session),
                refresh, false, body.toString());
    }

    /**
     * The ways past a failed backup. The admin's own backup is offered even where {@code backup.allowOwn}
     * is off: the setting keeps the wizard from skipping a backup that works, but when UpgradeGate's cannot
     * be made, refusing would only send the admin to edit the configuration and restart the server, or to
     * the token API, which needs no backup at all. Hence a confirmation that names the database and the time.
     */
    private void failed(StringBuilder body, Exchange exchange, Session session, Backups.Job job) {
        BackupFailure failure = job.failure();
        String attempted = Wizard.WHEN.format(Instant.ofEpochMilli(job.startedMillis));
        body.append("<p class=\"note error\" role=\"alert\"><strong>The backup failed.</strong> ").append(e(failure.cause))
                .append(" Nothing has been upgraded. The server log has the details (logger <code>dev.upgradegate</code>, ")
                .append(e(attempted)).append(").</p><h2>What you can do</h2><ul class=\"ways\"><li>")
                .append(e(failure.remedy == null ? "Try again: a database that was busy or restarting may let the next"
                        + " attempt through." : failure.remedy + " Then try again."))
                .append(makeForm(exchange, session, "Try the backup again")).append("</li>");
        if (!gate.settings().allowOwnBackup()) {
            body.append("<li>To rely on your own backups for this webapp from now on, set <code>app.")
                    .append(e(gate.webapp().name())).append(".backup.allowOwn=true</code> in <code>")
                    .append(e(gate.hostSettings().source().toAbsolutePath())).append("</code> and restart the server.</li>");
        }
        body.append("<li>Or make a backup yourself now, for instance with <code>mysqldump</code>, and continue with it:")
                .append("<form method=\"post\" action=\"").append(e(wizard.url(exchange, "/backup"))).append("\">")
                .append(Wizard.csrf(session)).append("<input type=\"hidden\" name=\"action\" value=\"own\">")
                .append("<label class=\"check\"><input type=\"checkbox\" name=\"own\" value=\"yes\" required><span>")
                .append("I have a backup of <strong>").append(e(database())).append("</strong> made after ")
                .append(e(attempted)).append(", and I know UpgradeGate cannot restore without one</span></label>")
                .append("<div class=\"actions\"><button class=\"secondary\" type=\"submit\">Continue with my own backup")
                .append("</button></div></form></li></ul>");
    }

    /** The schema's name as the admin's dump tool knows it; the webapp's name while the database is away. */
    private String database() {
        try {
            String catalog = gate.withConnection(Connection::getCatalog);
            if (catalog != null) {
                return catalog;
            }
        } catch (Exception unreachable) {
            // The page still stands: the webapp names its database well enough.
        }
        return "the database of " + gate.webapp().name();
    }

    private String what() {
        return "<p>UpgradeGate dumps the whole schema of <strong>" + e(gate.webapp().name())
                + "</strong>, structure and data, from one consistent snapshot into a gzipped SQL file in <code>"
                + e(gate.hostSettings().backupDir().resolve(gate.webapp().name())) + "</code>. "
                + "Earlier backups are never overwritten.</p>";
    }

    private String makeForm(Exchange exchange, Session session, String button) {
        return "<form method=\"post\" action=\"" + e(wizard.url(exchange, "/backup")) + "\">" + Wizard.csrf(session)
                + "<input type=\"hidden\" name=\"action\" value=\"make\"><div class=\"actions\"><button type=\"submit\">"
                + e(button) + "</button></div></form>";
    }

    private String continueLink(Exchange exchange) {
        return "<div class=\"actions\"><a class=\"button\" href=\"" + e(wizard.url(exchange, "/start"))
                + "\">Continue</a></div>";
    }

    static String details(Backup backup) {
        StringBuilder html = new StringBuilder("<dl><dt>File</dt><dd><code>").append(e(backup.file)).append("</code></dd>")
                .append("<dt>Size</dt><dd>").append(e(Wizard.size(backup.bytes))).append("</dd>")
                .append("<dt>Taken</dt><dd>").append(e(Wizard.WHEN.format(Instant.ofEpochMilli(backup.millis))))
                .append("</dd><dt>Restore with</dt><dd><pre>").append(e(backup.restoreCommand)).append("</pre></dd></dl>")
                .append("<div class=\"table\"><table class=\"stack\"><caption class=\"sr\">Rows per table</caption>")
                .append("<thead><tr><th scope=\"col\">Table</th><th scope=\"col\">Rows</th></tr></thead><tbody>");
        for (Map.Entry<String, Long> table : backup.rowCounts.entrySet()) {
            html.append("<tr><td data-label=\"Table\">").append(e(table.getKey())).append("</td><td data-label=\"Rows\">")
                    .append(table.getValue()).append("</td></tr>");
        }
        return html.append("</tbody></table></div>").toString();
    }

    void post(Exchange exchange, Session session, Map<String, String> form) throws IOException {
        Backups.Job job = session.backup;
        if ("own".equals(form.get("action"))) {
            boolean afterFailure = job != null && job.failure() != null;
            if (!gate.settings().allowOwnBackup() && !afterFailure) {
                page(exchange, session, 403, "The configuration requires UpgradeGate's own backup.");
                return;
            }
            if (!"yes".equals(form.get("own"))) {
                page(exchange, session, 400, "Tick the box to confirm your own backup.");
                return;
            }
            session.ownBackup = true;
            LOG.info(() -> gate.webapp().name() + ": administrator at " + gate.client(exchange) + " relies on their own"
                    + " backup" + (afterFailure ? ", UpgradeGate's having failed" : ""));
        } else if (job == null || !job.running()) {
            session.backup = gate.startBackup();
            session.ownBackup = false;
        }
        Page.redirect(exchange, wizard.url(exchange, "/backup"));
    }
}
