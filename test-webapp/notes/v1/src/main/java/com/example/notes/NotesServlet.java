package com.example.notes;

import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * The notes, as plain text: {@code /} lists them from the database; {@code /flyway} asks the webapp's own
 * Flyway (in WEB-INF/lib) what it sees. Knows nothing of any gate in front of it.
 */
public class NotesServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private DataSource dataSource() throws ServletException {
        try {
            return (DataSource) new InitialContext().lookup("java:comp/env/jdbc/NotesDB");
        } catch (NamingException e) {
            throw new ServletException(e);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
        response.setContentType("text/plain;charset=UTF-8");
        PrintWriter out = response.getWriter();
        if ("/flyway".equals(request.getServletPath())) {
            Flyway flyway = Flyway.configure(getClass().getClassLoader()).dataSource(dataSource()).load();
            MigrationInfo current = flyway.info().current();
            out.println("flyway-class=" + Flyway.class.getName());
            out.println("flyway-loader=" + Flyway.class.getClassLoader().getClass().getSimpleName());
            out.println("current=" + (current == null ? "none" : current.getVersion()));
            out.println("pending=" + flyway.info().pending().length);
            return;
        }
        try (Connection connection = dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet notes = statement.executeQuery("SELECT id, text FROM note ORDER BY id")) {
            out.println("notes");
            while (notes.next()) {
                out.println(notes.getInt(1) + ": " + notes.getString(2));
            }
        } catch (SQLException e) {
            throw new ServletException(e);
        }
    }
}
