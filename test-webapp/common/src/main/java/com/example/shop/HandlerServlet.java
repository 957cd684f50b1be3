package com.example.shop;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The shop's only servlet-API code: adapts GET and POST requests to a servlet-free {@link Handler}. Each shop
 * version subclasses it to supply its handler and maps it, in web.xml, to the paths that handler serves.
 * A database error becomes a {@link ServletException}, which the container answers with 500.
 */
public abstract class HandlerServlet extends HttpServlet {

    private Handler handler;

    /** The version's handler, given the shop's DataSource. */
    protected abstract Handler createHandler(DataSource dataSource);

    @Override
    public void init() throws ServletException {
        handler = createHandler(ShopDataSource.lookup());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        serve("GET", request, response);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        serve("POST", request, response);
    }

    private void serve(String method, HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        Reply reply;
        try {
            reply = handler.handle(
                    new Request(method, request.getServletPath(), request.getContextPath(), request::getParameter));
        } catch (SQLException e) {
            throw new ServletException(e);
        }
        if (reply.redirectPath() != null) {
            response.sendRedirect(request.getContextPath() + reply.redirectPath());
            return;
        }
        response.setStatus(reply.status());
        response.setContentType(reply.contentType());
        response.getWriter().write(reply.body());
    }
}
