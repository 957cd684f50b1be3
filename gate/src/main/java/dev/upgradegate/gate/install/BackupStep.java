package dev.upgradegate.gate.install;

import java.io.IOException;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.template.Markup;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;

/**
 * The wizard's backup step: make UpgradeGate's backup, watch it being written, or rely on the admin's own.
 * A failed backup is no dead end: the page says why in plain words and every way forward, down to the
 * admin's own backup behind an explicit confirmation, even where {@code backup.allowOwn} is off.
 */
final class BackupStep {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");
    private static final PageTemplate PAGE = PageTemplate.resource(BackupStep.class, "backup.html");
    private static final PageTemplate MAKE = PageTemplate.resource(BackupStep.class, "backup-make.html");
    private static final PageTemplate DETAILS = PageTemplate.resource(BackupStep.class, "backup-details.html");
    private static final PageTemplate OWN = PageTemplate.resource(BackupStep.class, "backup-own.html");

    private final Pages pages;
    private final LicenceStep licence;

    BackupStep(Pages pages, LicenceStep licence) {
        this.pages = pages;
        this.licence = licence;
    }

    /** @param error why the last answer was refused, or {@code null} */
    void page(Exchange exchange, Session session, int status, String error) throws IOException {
        if (licence.owed(session)) {
            pages.redirect(exchange, "/licence");
            return;
        }
        WizardGate gate = pages.gate;
        Backups.Job job = session.backup;
        boolean running = job != null && job.running();
        boolean done = job != null && job.result() != null;
        boolean own = !running && !done && session.ownBackup;
        boolean failed = job != null && !running && !done && !own;
        // Asked only where the page offers a fresh backup: each asking looks for pg_dump on disk.
        String missing = job == null && !own ? gate.backupUnavailable() : null;
        Model model = new Model()
                .put("error", error)
                .put("running", running)
                .put("done", done ? details(job.result()) : null)
                .put("own", own)
                .put("failed", failed)
                .put("missing", missing)
                .put("fresh", job == null && !own && missing == null)
                .put("postgres", gate.postgres())
                .put("start", pages.url(exchange, "/start"))
                .put("action", pages.url(exchange, "/backup"))
                .put("csrf", session.csrf)
                .put("webapp", gate.webapp().name())
                .put("allowOwn", gate.settings().allowOwnBackup());
        Frame frame = pages.frame(exchange, "Backup", Frame.Step.BACKUP, session);
        if (running) {
            frame.refresh(pages.url(exchange, "/backup"));
            model.put("file", job.file() == null ? "(being created)" : job.file())
                    .put("written", Formats.size(job.bytesSoFar()))
                    .put("elapsed", Formats.duration(System.currentTimeMillis() - job.startedMillis))
                    .put("reload", frame.refresh);
        } else if (failed) {
            failed(model, exchange, session, job);
        } else if (missing != null) {
            model.put("settingsFile", gate.hostSettings().source().toAbsolutePath())
                    .put("ownForm", ownForm(exchange, session, "just now"));
        } else if (job == null && !own) {
            model.put("folder", gate.hostSettings().backupDir().resolve(gate.webapp().name()))
                    .put("make", makeForm(exchange, session, "Make the backup now"));
        }
        Page.send(exchange, status, frame, PAGE.render(model));
    }

    /**
     * The ways past a failed backup. The admin's own backup is offered even where {@code backup.allowOwn}
     * is off: the setting keeps the wizard from skipping a backup that works, but when UpgradeGate's cannot
     * be made, refusing would only send the admin to edit the configuration and restart the server, or to
     * the token API, which needs no backup at all. Hence a confirmation that names the database and the time.
     */
    private void failed(Model model, Exchange exchange, Session session, Backups.Job job) {
        BackupFailure failure = job.failure();
        model.put("cause", failure.cause)
                .put("attempted", Formats.when(job.startedMillis))
                .put("remedy", failure.remedy == null ? "Try again: a database that was busy or restarting may let the"
                        + " next attempt through." : failure.remedy + " Then try again.")
                .put("make", makeForm(exchange, session, "Try the backup again"))
                .put("settingsFile", pages.gate.hostSettings().source().toAbsolutePath())
                .put("tool", pages.gate.postgres() ? "pg_dump" : "mysqldump")
                .put("ownForm", ownForm(exchange, session, "after " + Formats.when(job.startedMillis)));
    }

    /** The schema's name as the admin's dump tool knows it; the webapp's name while the database is away. */
    private String database() {
        try {
            String catalog = pages.gate.withConnection(Connection::getCatalog);
            if (catalog != null) {
                return catalog;
            }
        } catch (Exception unreachable) {
            // The page still stands: the webapp names its database well enough.
        }
        return "the database of " + pages.gate.webapp().name();
    }

    /** The admin's own backup, behind a confirmation that names the database and when it was made. */
    private Markup ownForm(Exchange exchange, Session session, String since) {
        return OWN.render(new Model().put("action", pages.url(exchange, "/backup")).put("csrf", session.csrf)
                .put("database", database()).put("since", since));
    }

    private Markup makeForm(Exchange exchange, Session session, String button) {
        return MAKE.render(new Model().put("action", pages.url(exchange, "/backup")).put("csrf", session.csrf)
                .put("button", button));
    }

    static Markup details(Backup backup) {
        List<Model> tables = new ArrayList<>();
        for (Map.Entry<String, Long> table : backup.rowCounts.entrySet()) {
            tables.add(new Model().put("table", table.getKey()).put("rows", table.getValue()));
        }
        return DETAILS.render(new Model()
                .put("file", backup.file)
                .put("size", Formats.size(backup.bytes))
                .put("taken", Formats.when(backup.millis))
                .put("restore", backup.restoreCommand)
                .put("tables", tables));
    }

    void post(Exchange exchange, Session session, Map<String, String> form) throws IOException {
        Backups.Job job = session.backup;
        String missing = job == null ? pages.gate.backupUnavailable() : null;
        if ("own".equals(form.get("action"))) {
            boolean afterFailure = job != null && job.failure() != null;
            if (!pages.gate.settings().allowOwnBackup() && !afterFailure && missing == null) {
                page(exchange, session, 403, "The configuration requires UpgradeGate's own backup.");
                return;
            }
            if (!"yes".equals(form.get("own"))) {
                page(exchange, session, 400, "Tick the box to confirm your own backup.");
                return;
            }
            session.ownBackup = true;
            String why = afterFailure ? ", UpgradeGate's having failed" : missing != null ? ", pg_dump being missing" : "";
            LOG.info(() -> pages.gate.webapp().name() + ": administrator at " + pages.gate.client(exchange)
                    + " relies on their own backup" + why);
        } else if (missing != null) {
            page(exchange, session, 409, "UpgradeGate cannot make this backup here: see below.");
            return;
        } else if (job == null || !job.running()) {
            session.backup = pages.gate.startBackup();
            session.ownBackup = false;
        }
        pages.redirect(exchange, "/backup");
    }
}
