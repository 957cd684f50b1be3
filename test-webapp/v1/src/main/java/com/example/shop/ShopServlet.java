package com.example.shop;

import javax.sql.DataSource;

/** The shop 1.0.0's servlet, mapped in web.xml. */
public final class ShopServlet extends HandlerServlet {

    @Override
    protected Handler createHandler(DataSource dataSource) {
        return new Shop(new ProductStore(dataSource));
    }
}
