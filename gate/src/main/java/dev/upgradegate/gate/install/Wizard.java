package dev.upgradegate.gate.install;

import static dev.upgradegate.gate.install.Page.e;

import java.io.IOException;
import java.io.StringWriter;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import dev.upgradegate.gate.Gatekeeper;
import dev.upgradegate.gate.State;
import dev.upgradegate.gate.Status;
import dev.upgradegate.gate.UpgradeProgress;
import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.http.RequestFields;
import dev.upgradegate.gate.http.Responses;
import dev.upgradegate.gate.install.Page.Step;
import dev.upgradegate.gate.maintenance.Maintenance;
import dev.upgradegate.gate.maintenance.MaintenanceEndpoint;
import dev.upgradegate.migrations.HistoryRepair;
import dev.upgradegate.migrations.LockInfo;
import dev.upgradegate.migrations.MigrationEngine;
import dev.upgradegate.migrations.MigrationException;
import dev.upgradegate.migrations.PendingChangeset;
import dev.upgradegate.migrations.SchemaState;
import dev.upgradegate.migrations.UpgradeLock;

/**
 * The browser wizard under the install path: sign in, overview, licence, backup, start, progress,
 * result, health. Every change is a POST carrying the session's CSRF token, answered by a redirect;
 * a GET only ever shows.
 */
final class Wizard {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");
    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z")
            .withZone(ZoneId.systemDefault());
    static final int LOG_TAIL = 15;
    /** Not {@code /maintenance}: that is the token API's, which {@code MaintenanceEndpoint} answers first. */
    static final String MAINTENANCE = "/site-maintenance";
    /** The wizard's repair form; {@code {install}/repair} is the API's (Bearer token). */
    private static final String REPAIR_HISTORY = "/repair-history";

    private final WizardGate gate;
    private final Sessions sessions = new Sessions();
    private final SignInForm signInForm = new SignInForm();
    private final BackupStep backupStep;

    Wizard(WebappGate gate) {
        this(new GateCalls(gate));
    }

    Wizard(WizardGate gate) {
        this.gate = gate;
        this.backupStep = new BackupStep(gate, this);
    }

    /** @return whether {@code resource} is one of the wizard's */
    boolean handle(Exchange exchange, String resource) throws IOException {
        boolean post = "POST".equals(exchange.method());
        boolean get = "GET".equals(exchange.method()) || "HEAD".equals(exchange.method());
        switch (resource) {
            case "": case "/": case "/signin": case "/signout": case "/overview": case "/update-sql": case "/update.sql":
            case "/licence": case "/backup": case "/start": case "/progress": case "/progress.json": case "/result":
            case "/log": case "/health": case "/unlock": case REPAIR_HISTORY: case MAINTENANCE:
                break;
            default:
                return false;
        }
        boolean postable = resource.equals("/signin") || resource.equals("/signout") || resource.equals("/licence")
                || resource.equals("/backup") || resource.equals("/start") || resource.equals("/unlock")
                || resource.equals(REPAIR_HISTORY) || resource.equals(MAINTENANCE);
        boolean postOnly = resource.equals("/signout") || resource.equals("/unlock") || resource.equals(REPAIR_HISTORY)
                || resource.equals(MAINTENANCE);
        if (!(get && !postOnly) && !(post && postable)) {
            exchange.header("Allow", postable ? (postOnly ? "POST" : "GET, POST") : "GET");
            message(exchange, 405, "Method Not Allowed", null, "This page does not take a " + exchange.method() + ".");
            return true;
        }
        Session session = sessions.find(exchange);
        if (resource.equals("/signin")) {
            if (post) {
                signIn(exchange);
            } else if (session != null) {
                Page.redirect(exchange, url(exchange, ""));
            } else {
                signInForm(exchange, 200, null);
            }
            return true;
        }
        if (session == null) {
            if (post) {
                message(exchange, 403, "Forbidden", null, "Your session has ended. Sign in again.");
            } else {
                Page.redirect(exchange, url(exchange, "/signin"));
            }
            return true;
        }
        if (post) {
            Map<String, String> form = RequestFields.form(exchange);
            if (!Sessions.csrfMatches(session, form.get("csrf"))) {
                message(exchange, 403, "Forbidden", session,
                        "This form has expired or did not come from this page. Go back, reload, and try again.");
                return true;
            }
            post(exchange, resource, session, form);
        } else {
            get(exchange, resource, session);
        }
        return true;
    }

    private void post(Exchange exchange, String resource, Session session, Map<String, String> form) throws IOException {
        switch (resource) {
            case "/signout":
                sessions.end(exchange, session, cookiePath(exchange));
                Page.redirect(exchange, url(exchange, "/signin"));
                break;
            case "/licence":
                if (!"yes".equals(form.get("agree"))) {
                    licence(exchange, session, 400, "Tick \u201cI agree\u201d to continue.");
                    return;
                }
                session.agreedToLicence = true;
                Page.redirect(exchange, url(exchange, "/backup"));
                break;
            case "/backup":
                backupStep.post(exchange, session, form);
                break;
            case "/unlock":
                unlock(exchange, session);
                break;
            case REPAIR_HISTORY:
                repair(exchange, session, form);
                break;
            case MAINTENANCE:
                maintenance(exchange, session, form);
                break;
            default:
                start(exchange, session);
        }
    }

    private void get(Exchange exchange, String resource, Session session) throws IOException {
        switch (resource) {
            case "": case "/":
                Page.redirect(exchange, url(exchange, landing()));
                break;
            case "/overview":
                overview(exchange, session);
                break;
            case "/update-sql":
                updateSqlPage(exchange, session);
                break;
            case "/update.sql":
                updateSqlFile(exchange, session);
                break;
            case "/licence":
                licence(exchange, session, 200, null);
                break;
            case "/backup":
                backupStep.page(exchange, session, 200, null);
                break;
            case "/start":
                startPage(exchange, session);
                break;
            case "/progress":
                progress(exchange, session);
                break;
            case "/progress.json":
                progressJson(exchange);
                break;
            case "/result":
                result(exchange, session);
                break;
            case "/log":
                log(exchange);
                break;
            default:
                health(exchange, session);
        }
    }

    /** Where {@code {install}/} leads: the run if there is one, its failure if it failed, else the overview. */
    private String landing() {
        UpgradeProgress run = gate.progress();
        if (run != null && run.running()) {
            return "/progress";
        }
        if (run != null && !run.succeeded() && gate.status().state() == State.UPGRADE_FAILED) {
            return "/result";
        }
        return "/overview";
    }

    // ----- sign in -----

    private void signInForm(Exchange exchange, int status, String error) throws IOException {
        String nonce = sessions.nonce(exchange, cookiePath(exchange));
        StringBuilder body = new StringBuilder("<div class=\"card\"><h1>Sign in</h1>")
                .append("<p class=\"muted\">Enter the install token. It is in <code>install.token</code> of the UpgradeGate ")
                .append("configuration, or in the token file the server log names.</p>");
        if (error != null) {
            body.append("<p class=\"note error\" role=\"alert\">").append(e(error)).append("</p>");
        }
        body.append("<form method=\"post\" action=\"").append(e(url(exchange, "/signin"))).append("\">")
                .append(csrf(signInForm.csrf(nonce, System.currentTimeMillis())))
                .append("<label for=\"token\">Install token</label>")
                .append("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"current-password\" required autofocus>")
                .append("<div class=\"actions\"><button type=\"submit\">Sign in</button></div></form></div>");
        Page.send(exchange, status, "Sign in", gate.webapp().name(), Step.SIGN_IN, null, null, false, body.toString());
    }

    private void signIn(Exchange exchange) throws IOException {
        Map<String, String> form = RequestFields.form(exchange);
        if (!signInForm.valid(exchange.cookie(Sessions.COOKIE), form.get("csrf"), System.currentTimeMillis())) {
            signInForm(exchange, 403, "The sign-in form had expired. Enter the token again.");
            return;
        }
        String client = gate.client(exchange);
        String token = form.get("token");
        GuessLimiter.Verdict verdict = gate.guesses().check(client, url(exchange, "/signin"),
                () -> gate.tokenMatches(token));
        if (verdict.retryAfterSeconds() > 0) {
            exchange.header("Retry-After", Long.toString(verdict.retryAfterSeconds()));
            message(exchange, 429, "Too Many Attempts", null, "Too many wrong tokens from your address. Wait "
                    + verdict.retryAfterSeconds() + " seconds, then try again.");
            return;
        }
        if (!verdict.right()) {
            signInForm(exchange, 401, "That is not the install token.");
            return;
        }
        if (sessions.create(exchange, cookiePath(exchange)) == null) {
            message(exchange, 503, "Busy", null, "Too many sessions are open. Try again in a few minutes.");
            return;
        }
        LOG.info(() -> gate.webapp().name() + ": install wizard signed in from " + client);
        Page.redirect(exchange, url(exchange, ""));
    }

    // ----- overview -----

    private void overview(Exchange exchange, Session session) throws IOException {
        Status status = gate.status();
        State state = status.state();
        StringBuilder body = new StringBuilder("<div class=\"card\"><h1>Overview</h1><dl>")
                .append("<dt>Webapp</dt><dd>").append(e(gate.webapp().name())).append(" (<code>")
                .append(e(gate.webapp().contextPath().isEmpty() ? "/" : gate.webapp().contextPath())).append("</code>)</dd>")
                .append("<dt>State</dt><dd>").append(badge(state)).append("</dd>")
                .append("<dt>Versions</dt><dd>schema <strong>").append(e(orNone(status.schemaVersion())))
                .append("</strong> &rarr; bundle <strong>").append(e(orNone(status.bundleVersion()))).append("</strong></dd>")
                .append("<dt>Migrations</dt><dd>").append(e(engineName())).append(" <code>")
                .append(e(gate.engine() == null ? "" : gate.engine().location())).append("</code></dd>")
                .append("<dt>Bundle version from</dt><dd class=\"muted\">").append(e(orNone(gate.bundleVersionSource())))
                .append("</dd>");
        if (!status.ahead().isEmpty()) {
            body.append("<dt>Database ahead by</dt><dd>").append(e(String.join(", ", status.ahead()))).append("</dd>");
        }
        body.append("</dl></div>");
        body.append(explanation(state));
        if (state.upgradable() || state == State.UPGRADE_RUNNING) {
            body.append("<div class=\"card\"><h2>Pending changesets</h2>");
            try {
                List<PendingChangeset> pending = gate.withConnection(c -> gate.engine().inspect(c).pending());
                body.append(changesetTable(pending, "Nothing to run."));
            } catch (Exception ex) {
                body.append("<p class=\"bad\">").append(e(engineName())).append(" cannot plan the upgrade: ")
                        .append(e(ex.getMessage())).append("</p>");
            }
            body.append("<div class=\"actions\"><a href=\"").append(e(url(exchange, "/update-sql")))
                    .append("\">View the SQL it will run</a><a href=\"").append(e(url(exchange, "/update.sql")))
                    .append("\" download>Download update.sql</a></div></div>");
        }
        body.append("<div class=\"card\"><h2>Pre-flight checks</h2><ul class=\"checks\">");
        boolean allPassed = true;
        for (Preflight.Check check : gate.preflight()) {
            allPassed &= check.passed;
            body.append("<li><b class=\"").append(check.passed ? "ok\">&#10003; OK" : "bad\">&#10007; Failed")
                    .append("</b> ").append(e(check.name)).append(" <span class=\"muted\">&mdash; ")
                    .append(e(check.detail)).append("</span></li>");
        }
        body.append("</ul></div>");
        body.append(staleLock(exchange, session));
        body.append(repairCard(exchange, session));
        body.append(maintenanceCard(exchange, session));
        body.append("<div class=\"actions\">");
        if (state.upgradable()) {
            body.append("<a class=\"button\" href=\"").append(e(url(exchange, licenceStep() ? "/licence" : "/backup")))
                    .append("\">Continue</a>");
            if (!allPassed) {
                body.append("<span class=\"warn\">Some checks failed: the upgrade may fail too.</span>");
            }
        } else if (state == State.UPGRADE_RUNNING) {
            body.append("<a class=\"button\" href=\"").append(e(url(exchange, "/progress"))).append("\">Watch the upgrade</a>");
        }
        body.append("<a href=\"").append(e(url(exchange, "/health"))).append("\">System health</a></div>");
        Page.send(exchange, 200, "Overview", gate.webapp().name(), Step.OVERVIEW, signOut(exchange, session), null,
                false, body.toString());
    }

    /** The way out of a lock left by a killed or hung upgrade: shown only when the lock really is stale. */
    private String staleLock(Exchange exchange, Session session) {
        LockInfo lock;
        try {
            lock = gate.withConnection(UpgradeLock::inspect);
        } catch (Exception unreachable) {
            return "";
        }
        if (!lock.stale(gate.hostSettings().lockStaleSeconds())) {
            return "";
        }
        return "<div class=\"card\"><h2>Upgrade lock</h2><p class=\"note error\">"
                + (lock.interrupted() ? "An upgrade was interrupted: " : "The upgrade lock has had no heartbeat for over "
                        + gate.hostSettings().lockStaleSeconds() + " seconds: ")
                + e(lock.toString()) + ". Release it only if no upgrade is running anywhere.</p>"
                + "<form method=\"post\" action=\"" + e(url(exchange, "/unlock")) + "\">" + csrf(session)
                + "<button type=\"submit\">Release the stale lock</button></form></div>";
    }

    /**
     * Manual maintenance from the wizard. The wizard is open only while the webapp is not UP, and
     * maintenance only stands in for UP, so here it serves two moments: before an upgrade, to keep
     * visitors out after it until the admin has checked the site through the bypass URL; and in
     * MAINTENANCE (not UP, so the wizard is open), to turn it off. While UP, the API, the CLI and JMX do it.
     */
    private String maintenanceCard(Exchange exchange, Session session) {
        Maintenance manual = gate.maintenance();
        StringBuilder card = new StringBuilder("<div class=\"card\"><h2>Maintenance</h2>");
        card.append("<form method=\"post\" action=\"").append(e(url(exchange, MAINTENANCE))).append("\">")
                .append(csrf(session));
        if (manual != null) {
            card.append("<p>Maintenance is on").append(manual.untilMillis() == 0 ? " until turned off"
                    : " until " + e(WHEN.format(Instant.ofEpochMilli(manual.untilMillis())))).append(manual.message() == null ? ""
                    : ": \u201c" + e(manual.message()) + "\u201d").append(". Open <code>")
                    .append(e(MaintenanceEndpoint.bypassPath(exchange.contextPath(), gate.installPath(), manual.secret())))
                    .append("</code> to see the site as visitors will.</p>")
                    .append("<input type=\"hidden\" name=\"action\" value=\"off\">")
                    .append("<button type=\"submit\">Turn maintenance off</button>");
        } else {
            card.append("<p class=\"muted\">Keeps visitors out after the upgrade, on every node, until you turn it off "
                    + "here (the wizard stays open in maintenance), or through the API, the CLI or JMX.</p>")
                    .append("<label for=\"m-message\">Message for visitors</label>")
                    .append("<input id=\"m-message\" name=\"message\" maxlength=\"1000\">")
                    .append("<label for=\"m-minutes\">Ends by itself after (minutes, empty for never)</label>")
                    .append("<input id=\"m-minutes\" name=\"minutes\" inputmode=\"numeric\">")
                    .append("<input type=\"hidden\" name=\"action\" value=\"on\">")
                    .append("<div class=\"actions\"><button type=\"submit\">Turn maintenance on</button></div>");
        }
        return card.append("</form></div>").toString();
    }

    private void maintenance(Exchange exchange, Session session, Map<String, String> form) throws IOException {
        try {
            if ("off".equals(form.get("action"))) {
                gate.maintenanceOff(gate.client(exchange));
            } else if ("on".equals(form.get("action"))) {
                gate.maintenanceOn(MaintenanceEndpoint.message(form.get("message")),
                        MaintenanceEndpoint.until(null, form.get("minutes"), System.currentTimeMillis()), null,
                        gate.client(exchange));
            } else {
                message(exchange, 400, "Bad Request", session, "Choose on or off.");
                return;
            }
        } catch (IllegalArgumentException e) {
            message(exchange, 400, "Bad Request", session, "Maintenance was not changed: " + e.getMessage() + ".");
            return;
        } catch (SQLException e) {
            message(exchange, 503, "Database unavailable", session,
                    "The database cannot be reached, so maintenance was not changed. Try again shortly.");
            return;
        }
        Page.redirect(exchange, url(exchange, "/overview"));
    }

    private String engineName() {
        return gate.engine() == null ? "none" : gate.engine().name().equals(MigrationEngine.FLYWAY) ? "Flyway" : "Liquibase";
    }

    /** The way past a failed migration that the engine recorded: shown only while the history holds one. */
    private String repairCard(Exchange exchange, Session session) {
        SchemaState schema;
        try {
            schema = gate.withConnection(c -> gate.engine().inspect(c));
        } catch (Exception unreachable) {
            return "";
        }
        if (schema.failed() == null) {
            return "";
        }
        String script = schema.failed().file();
        return "<div class=\"card\"><h2>Failed migration</h2><p class=\"note error\">" + e(engineName())
                + " recorded <code>" + e(script) + "</code> as failed, and refuses every upgrade until that record is"
                + " removed. Its statements may have changed the schema before it failed: check the database, or"
                + " restore the backup you made before the upgrade, and deploy a bundle whose migration is fixed.</p>"
                + "<form method=\"post\" action=\"" + e(url(exchange, REPAIR_HISTORY)) + "\">" + csrf(session)
                + "<input type=\"hidden\" name=\"script\" value=\"" + e(script) + "\">"
                + "<label class=\"check\"><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required><span>Remove"
                + " the failed record of <code>" + e(script) + "</code> from the history. The database keeps whatever"
                + " the migration changed.</span></label><button type=\"submit\">Repair the history</button></form></div>";
    }

    private void repair(Exchange exchange, Session session, Map<String, String> form) throws IOException {
        if (!"yes".equals(form.get("confirm"))) {
            message(exchange, 400, "Not confirmed", session,
                    "Tick the box that names the failed migration to remove its record.");
            return;
        }
        HistoryRepair.Result result;
        try {
            result = gate.repair(gate.client(exchange), form.get("script"));
        } catch (SQLException | MigrationException e) {
            message(exchange, 503, "Database unavailable", session,
                    "The database cannot be reached, so nothing was repaired. Try again shortly.");
            return;
        }
        if (result == HistoryRepair.Result.BUSY) {
            message(exchange, 409, "Upgrade running", session, "An upgrade is running: nothing was repaired.");
            return;
        }
        if (result == HistoryRepair.Result.NOT_CONFIRMED) {
            message(exchange, 409, "Changed meanwhile", session,
                    "The failed migration is not the one you confirmed any more. Look at the overview again.");
            return;
        }
        Page.redirect(exchange, url(exchange, "/overview"));
    }

    private void unlock(Exchange exchange, Session session) throws IOException {
        UpgradeLock.Release result;
        try {
            result = gate.releaseStaleLock(gate.client(exchange));
        } catch (SQLException e) {
            message(exchange, 503, "Database unavailable", session,
                    "The database cannot be reached, so the lock was not released. Try again shortly.");
            return;
        }
        if (result == UpgradeLock.Release.REFUSED_LIVE_OWNER) {
            message(exchange, 409, "Lock in use", session,
                    "The lock's owner is alive and renewing it: an upgrade is running. It was not released.");
            return;
        }
        Page.redirect(exchange, url(exchange, "/overview"));
    }

    private static String explanation(State state) {
        switch (state) {
            case SCHEMA_NEWER:
                return "<p class=\"note error\">The database is newer than this bundle: the code was rolled back, or a patch "
                        + "was deployed on the wrong version. UpgradeGate never upgrades downwards, so nothing will run. "
                        + "<strong>Deploy the bundle that matches the database's version</strong>; the webapp comes up by itself.</p>";
            case DB_UNAVAILABLE:
                return "<p class=\"note error\">The database cannot be reached. Check that it runs and that the webapp's "
                        + "DataSource or jdbc.url points at it; the webapp comes back by itself once it answers.</p>";
            case MISCONFIGURED:
                return "<p class=\"note error\">UpgradeGate's settings for this webapp are wrong. The server log names "
                        + "the file, the line and the key.</p>";
            case UPGRADE_RUNNING:
                return "<p class=\"note\">An upgrade is running, on this node or another one sharing the database.</p>";
            case UPGRADE_FAILED:
                return "<p class=\"note error\">The last upgrade failed; the schema is still behind. You can retry.</p>";
            case STARTING:
                return "<p class=\"note\">The webapp has just been deployed and UpgradeGate has not finished its first "
                        + "check of the database yet. That takes a second or two, or up to <code>db.timeoutSeconds</code> "
                        + "when the database is slow to answer; reload this page in a moment.</p>";
            default:
                return "";
        }
    }

    private void updateSqlPage(Exchange exchange, Session session) throws IOException {
        String what = MigrationEngine.FLYWAY.equals(gate.engine().name())
                ? "The scripts Flyway will run, in order, as the bundle carries them. Nothing has run yet."
                : "Exactly what Liquibase will run (update-sql), including its own bookkeeping. Nothing has run yet.";
        String body = "<div class=\"card\"><h1>The SQL of the upgrade</h1><p class=\"muted\">" + what + "</p><pre>"
                + e(updateSql())
                + "</pre><div class=\"actions\"><a class=\"button\" href=\"" + e(url(exchange, "/update.sql"))
                + "\" download>Download update.sql</a><a href=\"" + e(url(exchange, "/overview"))
                + "\">Back to the overview</a></div></div>";
        Page.send(exchange, 200, "Update SQL", gate.webapp().name(), Step.OVERVIEW, signOut(exchange, session), null,
                false, body);
    }

    private void updateSqlFile(Exchange exchange, Session session) throws IOException {
        Page.text(exchange, updateSql(), gate.webapp().name() + "-update.sql");
    }

    private String updateSql() {
        try {
            return gate.withConnection(connection -> {
                StringWriter sql = new StringWriter();
                gate.engine().preview(connection, sql);
                return sql.toString();
            });
        } catch (Exception ex) {
            return "-- " + engineName() + " cannot produce the SQL: " + ex.getMessage();
        }
    }

    // ----- licence -----

    boolean licenceStep() {
        try {
            return Licence.text(gate) != null;
        } catch (IOException ex) {
            return true;
        }
    }

    private void licence(Exchange exchange, Session session, int status, String error) throws IOException {
        String text;
        try {
            text = Licence.text(gate);
        } catch (IOException ex) {
            LOG.warning(() -> gate.webapp().name() + ": cannot read the licence: " + ex);
            message(exchange, 500, "Licence unreadable", session,
                    "The licence file cannot be read; the server log says why.");
            return;
        }
        if (text == null) {
            Page.redirect(exchange, url(exchange, "/backup"));
            return;
        }
        StringBuilder body = new StringBuilder("<div class=\"card\"><h1>Licence</h1>")
                .append("<p class=\"muted\">Read the licence of ").append(e(gate.webapp().name())).append(' ')
                .append(e(gate.bundleVersion())).append(" before you upgrade.</p>");
        if (error != null) {
            body.append("<p class=\"note error\" role=\"alert\">").append(e(error)).append("</p>");
        }
        body.append("<pre tabindex=\"0\" aria-label=\"Licence text\">").append(e(text)).append("</pre>")
                .append("<form method=\"post\" action=\"").append(e(url(exchange, "/licence"))).append("\">")
                .append(csrf(session))
                .append("<label class=\"check\"><input type=\"checkbox\" name=\"agree\" value=\"yes\" required")
                .append(session.agreedToLicence ? " checked" : "").append("> I agree to the licence</label>")
                .append("<div class=\"actions\"><button type=\"submit\">Continue</button><a href=\"")
                .append(e(url(exchange, "/overview"))).append("\">Back</a></div></form></div>");
        Page.send(exchange, status, "Licence", gate.webapp().name(), Step.LICENCE, signOut(exchange, session), null,
                false, body.toString());
    }

    /** The steps before the upgrade that this session still owes, as the URL of the first, or {@code null}. */
    private String missingStep(Session session) {
        if (!session.agreedToLicence && licenceStep()) {
            return "/licence";
        }
        return session.backedUp() ? null : "/backup";
    }

    // ----- start, progress, result -----

    private void startPage(Exchange exchange, Session session) throws IOException {
        String missing = missingStep(session);
        if (missing != null) {
            Page.redirect(exchange, url(exchange, missing));
            return;
        }
        Status status = gate.status();
        if (!status.state().upgradable()) {
            Page.redirect(exchange, url(exchange, landing()));
            return;
        }
        StringBuilder body = new StringBuilder("<div class=\"card\"><h1>Ready to upgrade</h1><dl>")
                .append("<dt>From</dt><dd>").append(e(status.schemaVersion() == null ? "an empty database"
                        : "schema " + status.schemaVersion())).append("</dd>")
                .append("<dt>To</dt><dd>").append(e(status.bundleVersion())).append("</dd>")
                .append("<dt>Backup</dt><dd>").append(session.ownBackup ? "your own"
                        : "<code>" + e(session.backup.file()) + "</code>").append("</dd></dl>")
                .append("<p class=\"muted\">The upgrade runs on the server: it carries on if you close the browser. ")
                .append("Visitors see the maintenance page until it is done.</p>")
                .append("<form method=\"post\" action=\"").append(e(url(exchange, "/start"))).append("\">").append(csrf(session))
                .append("<div class=\"actions\"><button type=\"submit\">Start the Upgrade</button><a href=\"")
                .append(e(url(exchange, "/overview"))).append("\">Back to the overview</a></div></form></div>");
        Page.send(exchange, 200, "Start", gate.webapp().name(), Step.UPGRADE, signOut(exchange, session), null,
                false, body.toString());
    }

    private void start(Exchange exchange, Session session) throws IOException {
        String missing = missingStep(session);
        if (missing != null) {
            Page.redirect(exchange, url(exchange, missing));
            return;
        }
        WebappGate.Start start = gate.startUpgrade(gate.client(exchange), true);
        switch (start) {
            case STARTED:
                // The next attempt, should this one fail, needs a backup of its own.
                session.backup = null;
                session.ownBackup = false;
                Page.redirect(exchange, url(exchange, "/progress"));
                break;
            case BUSY:
                Page.redirect(exchange, url(exchange, "/progress"));
                break;
            case REFUSED:
                Page.redirect(exchange, url(exchange, "/overview"));
                break;
            default:
                message(exchange, 503, "Database unavailable", session,
                        "The database cannot be reached to take the upgrade lock. Nothing has run. Try again shortly.");
        }
    }

    private void progress(Exchange exchange, Session session) throws IOException {
        UpgradeProgress run = gate.progress();
        if (run == null || !run.running()) {
            Page.redirect(exchange, url(exchange, run == null ? "/overview" : "/result"));
            return;
        }
        String log = String.join("\n", run.logTail(LOG_TAIL));
        int total = run.total();
        String body = "<div class=\"card\" id=\"progress\" data-poll=\"" + e(url(exchange, "/progress.json"))
                + "\" data-done=\"" + e(url(exchange, "/result")) + "\"><h1>Upgrading " + e(gate.webapp().name())
                + " to " + e(run.toVersion()) + "</h1>"
                + "<progress id=\"p-bar\" max=\"" + Math.max(1, total) + "\" value=\"" + Math.max(0, run.current() - 1)
                + "\" aria-label=\"Changesets done\"></progress>"
                + "<dl aria-live=\"polite\"><dt>Changeset</dt><dd id=\"p-count\">"
                + e(total < 0 ? "preparing" : run.current() + " of " + total) + "</dd>"
                + "<dt>Running</dt><dd><code id=\"p-id\">" + e(run.changeset() == null ? "-" : run.changeset()) + "</code></dd>"
                + "<dt>Elapsed</dt><dd id=\"p-elapsed\">" + e(elapsed(run)) + "</dd></dl>"
                + "<h2>Log</h2><pre id=\"p-log\">" + e(log) + "</pre>"
                + "<p class=\"muted\">You may close this page: the upgrade carries on, and reopening the install page "
                + "brings you back here.</p></div>";
        Page.send(exchange, 200, "Upgrading", gate.webapp().name(), Step.UPGRADE, signOut(exchange, session),
                url(exchange, "/result"), true, body);
    }

    private void progressJson(Exchange exchange) throws IOException {
        UpgradeProgress run = gate.progress();
        if (run == null) {
            Responses.json(exchange, 200, new Json().field("running", false));
            return;
        }
        Responses.json(exchange, 200, new Json()
                .field("running", run.running())
                .field("current", run.current())
                .field("total", run.total())
                .field("changeset", run.changeset())
                .field("elapsed", elapsed(run))
                .field("log", run.logTail(LOG_TAIL)));
    }

    private void result(Exchange exchange, Session session) throws IOException {
        UpgradeProgress run = gate.progress();
        if (run == null) {
            Page.redirect(exchange, url(exchange, "/overview"));
            return;
        }
        if (run.running()) {
            Page.redirect(exchange, url(exchange, "/progress"));
            return;
        }
        StringBuilder body = new StringBuilder("<div class=\"card\">");
        if (run.succeeded()) {
            if (!run.firstResultView()) {
                UpgradeDone.page(exchange, gate.webapp().name());
                return;
            }
            body.append("<p class=\"badge ok\">UP</p><h1>Upgraded to ").append(e(run.toVersion())).append("</h1>")
                    .append("<p>").append(e(gate.webapp().name())).append(" is up again: ").append(run.ran().size())
                    .append(" changesets ran in ").append(e(elapsed(run))).append(". The install page is now closed.</p>")
                    .append("<div class=\"actions\"><a class=\"button\" href=\"").append(e(gate.webapp().contextPath() + "/"))
                    .append("\">Go to ").append(e(gate.webapp().name())).append("</a></div></div>");
            gate.closeResult();
            Page.send(exchange, 200, "Upgraded", gate.webapp().name(), Step.RESULT, null, null, false, body.toString());
            return;
        }
        body.append("<p class=\"badge bad\">FAILED</p><h1>Upgrade Failed</h1><dl>")
                .append("<dt>Changeset</dt><dd><code>").append(e(run.failedChangeset() == null ? "(none: before the first)"
                        : run.failedChangeset().toString())).append("</code></dd>")
                .append("<dt>Database error</dt><dd><pre>").append(e(run.error())).append("</pre></dd>")
                .append("<dt>Changesets that ran</dt><dd>").append(run.ran().size()).append("</dd></dl>")
                .append("<p class=\"muted\">The schema is still behind, and visitors still see the maintenance page.</p></div>");
        Backup backup = gate.latestBackup();
        body.append("<div class=\"card\"><h2>Your backup</h2>");
        if (backup != null) {
            body.append(BackupStep.details(backup));
        } else {
            body.append("<p>UpgradeGate made no backup on this node: use your own.</p>");
        }
        body.append("</div>").append(repairCard(exchange, session))
                .append("<div class=\"actions\"><a class=\"button\" href=\"").append(e(url(exchange, "/backup")))
                .append("\">Retry the upgrade</a><a class=\"button secondary\" href=\"").append(e(url(exchange, "/log")))
                .append("\" download>Download the full log</a><a href=\"").append(e(url(exchange, "/overview")))
                .append("\">Overview</a></div>");
        Page.send(exchange, 200, "Upgrade Failed", gate.webapp().name(), Step.RESULT, signOut(exchange, session), null,
                false, body.toString());
    }

    private void log(Exchange exchange) throws IOException {
        UpgradeProgress run = gate.progress();
        Page.text(exchange, run == null ? "No upgrade has run on this node since it started.\n"
                : String.join("\n", run.log()) + "\n", gate.webapp().name() + "-upgrade.log");
    }

    // ----- health -----

    private void health(Exchange exchange, Session session) throws IOException {
        Status status = gate.status();
        String database;
        try {
            database = gate.withConnection(c -> c.getMetaData().getDatabaseProductName() + " "
                    + c.getMetaData().getDatabaseProductVersion());
        } catch (Exception ex) {
            database = "unreachable: " + ex.getMessage();
        }
        String own = Gatekeeper.class.getPackage().getImplementationVersion();
        StringBuilder body = new StringBuilder("<div class=\"card\"><h1>System health</h1><dl>")
                .append("<dt>State</dt><dd>").append(badge(status.state())).append("</dd>")
                .append("<dt>Bundle version</dt><dd>").append(e(orNone(status.bundleVersion()))).append("</dd>")
                .append("<dt>Schema version</dt><dd>").append(e(orNone(status.schemaVersion()))).append("</dd>")
                .append("<dt>Database</dt><dd>").append(e(database)).append("</dd>")
                .append("<dt>UpgradeGate</dt><dd>").append(e(own == null ? "development build" : own)).append("</dd>")
                .append("<dt>Java</dt><dd>").append(e(System.getProperty("java.version"))).append("</dd></dl></div>")
                .append("<div class=\"card\"><h2>Last upgrades on this node</h2>");
        List<UpgradeProgress> history = gate.history();
        if (history.isEmpty()) {
            body.append("<p class=\"muted\">None since the server started.</p>");
        } else {
            body.append("<div class=\"table\"><table class=\"stack\"><thead><tr><th scope=\"col\">When</th><th scope=\"col\">From</th>")
                    .append("<th scope=\"col\">Took</th><th scope=\"col\">Result</th><th scope=\"col\">Changesets</th></tr></thead><tbody>");
            for (UpgradeProgress run : history) {
                StringBuilder ids = new StringBuilder();
                for (PendingChangeset changeset : run.ran()) {
                    ids.append(ids.length() > 0 ? ", " : "").append(changeset.id());
                }
                body.append("<tr><td data-label=\"When\">").append(e(WHEN.format(Instant.ofEpochMilli(run.startedMillis()))))
                        .append("</td><td data-label=\"From\">").append(e(run.client()))
                        .append("</td><td data-label=\"Took\">").append(e(elapsed(run))).append("</td><td data-label=\"Result\">")
                        .append(run.running() ? "running" : run.succeeded() ? "<span class=\"ok\">succeeded</span>"
                                : "<span class=\"bad\">failed</span>")
                        .append("</td><td data-label=\"Changesets\">").append(e(ids.length() == 0 ? "none" : ids)).append("</td></tr>");
            }
            body.append("</tbody></table></div>");
        }
        body.append("</div><div class=\"actions\"><a href=\"").append(e(url(exchange, "/overview")))
                .append("\">Back to the overview</a></div>");
        Page.send(exchange, 200, "System health", gate.webapp().name(), Step.NONE, signOut(exchange, session), null,
                false, body.toString());
    }

    // ----- helpers -----

    private void message(Exchange exchange, int status, String title, Session session, String text) throws IOException {
        String body = "<div class=\"card\"><h1>" + e(title) + "</h1><p>" + e(text) + "</p><div class=\"actions\"><a href=\""
                + e(url(exchange, "")) + "\">Back to the install page</a></div></div>";
        Page.send(exchange, status, title, gate.webapp().name(), Step.NONE,
                session != null ? signOut(exchange, session) : null, null, false, body);
    }

    private static String badge(State state) {
        String tone = state == State.UP ? "ok" : state.upgradable() || state == State.UPGRADE_RUNNING ? "warn" : "bad";
        return "<span class=\"badge " + tone + "\">" + e(state.name()) + "</span> " + e(state.title());
    }

    private String changesetTable(List<PendingChangeset> pending, String none) {
        if (pending.isEmpty()) {
            return "<p class=\"muted\">" + e(none) + "</p>";
        }
        // A Flyway migration is a version, a description and a script where Liquibase has id, author and file.
        boolean flyway = gate.engine() != null && MigrationEngine.FLYWAY.equals(gate.engine().name());
        String id = flyway ? "Version" : "Id";
        String author = flyway ? "Description" : "Author";
        String file = flyway ? "Script" : "File";
        StringBuilder html = new StringBuilder("<div class=\"table\"><table class=\"stack\"><thead><tr><th scope=\"col\">#</th>")
                .append("<th scope=\"col\">").append(id).append("</th><th scope=\"col\">").append(author)
                .append("</th><th scope=\"col\">").append(file).append("</th></tr></thead><tbody>");
        int number = 0;
        for (PendingChangeset changeset : pending) {
            html.append("<tr><td data-label=\"#\">").append(++number).append("</td><td data-label=\"").append(id)
                    .append("\"><code>").append(e(changeset.id()))
                    .append("</code></td><td data-label=\"").append(author).append("\">").append(e(changeset.author()))
                    .append("</td><td data-label=\"").append(file).append("\">").append(e(changeset.file()))
                    .append("</td></tr>");
        }
        return html.append("</tbody></table></div>").toString();
    }

    static String csrf(Session session) {
        return csrf(session.csrf);
    }

    private static String csrf(String token) {
        return "<input type=\"hidden\" name=\"csrf\" value=\"" + e(token) + "\">";
    }

    String[] signOut(Exchange exchange, Session session) {
        return new String[] {url(exchange, "/signout"), session.csrf};
    }

    private String cookiePath(Exchange exchange) {
        return exchange.contextPath() + gate.installPath();
    }

    String url(Exchange exchange, String resource) {
        return exchange.contextPath() + gate.installPath() + (resource.isEmpty() ? "/" : resource);
    }

    private static String orNone(String version) {
        return version == null ? "none" : version;
    }

    static String elapsed(UpgradeProgress run) {
        long end = run.running() ? System.currentTimeMillis() : run.finishedMillis();
        return duration(end - run.startedMillis());
    }

    static String duration(long millis) {
        long seconds = Math.max(0, millis / 1000);
        return seconds == 0 ? "under a second" : seconds < 60 ? seconds + " s" : seconds / 60 + " min " + seconds % 60 + " s";
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KiB", bytes / 1024.0);
        }
        return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    }
}
