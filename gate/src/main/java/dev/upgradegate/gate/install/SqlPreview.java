package dev.upgradegate.gate.install;

import java.io.IOException;
import java.io.StringWriter;

import dev.upgradegate.gate.http.Exchange;
import dev.upgradegate.gate.template.Model;
import dev.upgradegate.gate.template.PageTemplate;
import dev.upgradegate.migrations.MigrationEngine;

/** The SQL an upgrade would run, as a page and as a file to download. Nothing runs. */
final class SqlPreview {

    private static final PageTemplate PAGE = PageTemplate.resource(SqlPreview.class, "update-sql.html");

    private final Pages pages;

    SqlPreview(Pages pages) {
        this.pages = pages;
    }

    void page(Exchange exchange, Session session) throws IOException {
        String what = MigrationEngine.FLYWAY.equals(pages.gate.engine().name())
                ? "The scripts Flyway will run, in order, as the bundle carries them. Nothing has run yet."
                : "Exactly what Liquibase will run (update-sql), including its own bookkeeping. Nothing has run yet.";
        Page.send(exchange, 200, pages.frame(exchange, "Update SQL", Frame.Step.OVERVIEW, session), PAGE.render(new Model()
                .put("what", what)
                .put("sql", sql())
                .put("sqlFile", pages.url(exchange, "/update.sql"))
                .put("overview", pages.url(exchange, "/overview"))));
    }

    void file(Exchange exchange) throws IOException {
        Page.text(exchange, sql(), pages.gate.webapp().name() + "-update.sql");
    }

    private String sql() {
        WizardGate gate = pages.gate;
        try {
            return gate.withConnection(connection -> {
                StringWriter sql = new StringWriter();
                gate.engine().preview(connection, sql);
                return sql.toString();
            });
        } catch (Exception ex) {
            return "-- " + pages.engineName() + " cannot produce the SQL: " + ex.getMessage();
        }
    }
}
