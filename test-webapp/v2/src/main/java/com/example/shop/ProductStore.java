package com.example.shop;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The shop's data access on the 2.0.0 schema (product.sku, product.category_id, table category). */
final class ProductStore {

    private final DataSource dataSource;

    ProductStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<Product> products() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT p.id, p.name, p.price, p.sku, c.name AS category, p.created_at"
                                + " FROM product p LEFT JOIN category c ON c.id = p.category_id ORDER BY p.id");
                ResultSet rows = statement.executeQuery()) {
            List<Product> products = new ArrayList<>();
            while (rows.next()) {
                Timestamp createdAt = rows.getTimestamp("created_at");
                products.add(new Product(rows.getLong("id"), rows.getString("name"), rows.getBigDecimal("price"),
                        rows.getString("sku"), rows.getString("category"),
                        createdAt == null ? null : createdAt.toLocalDateTime()));
            }
            return products;
        }
    }

    /** @param sku null for none; @param categoryId null for none */
    void addProduct(String name, BigDecimal price, String sku, Long categoryId) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO product (name, price, sku, category_id) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, name);
            statement.setBigDecimal(2, price);
            statement.setString(3, sku);
            if (categoryId == null) {
                statement.setNull(4, Types.BIGINT);
            } else {
                statement.setLong(4, categoryId);
            }
            statement.executeUpdate();
        }
    }

    List<Category> categories() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT c.id, c.name, COUNT(p.id) AS products"
                                + " FROM category c LEFT JOIN product p ON p.category_id = c.id"
                                + " GROUP BY c.id, c.name ORDER BY c.name");
                ResultSet rows = statement.executeQuery()) {
            List<Category> categories = new ArrayList<>();
            while (rows.next()) {
                categories.add(new Category(rows.getLong("id"), rows.getString("name"), rows.getInt("products")));
            }
            return categories;
        }
    }
}
