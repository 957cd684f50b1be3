package com.example.shop;

import java.sql.SQLException;

/**
 * A shop version's pages, free of any servlet API. Database errors are not handled: they propagate, and the
 * container answers 500, as a legacy application does.
 */
public interface Handler {

    Reply handle(Request request) throws SQLException;
}
