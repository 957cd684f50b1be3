package com.example.shop;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The shop's database: the container-managed DataSource {@value #JNDI_NAME}, declared in the WAR's
 * META-INF/context.xml (Tomcat) with the JDBC driver provided by the container.
 */
public final class ShopDataSource {

    public static final String JNDI_NAME = "java:comp/env/jdbc/ShopDB";

    private ShopDataSource() {
    }

    public static DataSource lookup() {
        try {
            InitialContext context = new InitialContext();
            try {
                return (DataSource) context.lookup(JNDI_NAME);
            } finally {
                context.close();
            }
        } catch (NamingException e) {
            throw new IllegalStateException("No DataSource bound at " + JNDI_NAME, e);
        }
    }
}
