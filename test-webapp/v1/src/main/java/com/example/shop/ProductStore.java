package com.example.shop;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The shop's data access on the 1.0.0 schema. */
final class ProductStore {

    private final DataSource dataSource;

    ProductStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    List<Product> products() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT id, name, price, created_at FROM product ORDER BY id");
                ResultSet rows = statement.executeQuery()) {
            List<Product> products = new ArrayList<>();
            while (rows.next()) {
                Timestamp createdAt = rows.getTimestamp("created_at");
                products.add(new Product(rows.getLong("id"), rows.getString("name"), rows.getBigDecimal("price"),
                        createdAt == null ? null : createdAt.toLocalDateTime()));
            }
            return products;
        }
    }

    void addProduct(String name, BigDecimal price) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(
                        "INSERT INTO product (name, price) VALUES (?, ?)")) {
            statement.setString(1, name);
            statement.setBigDecimal(2, price);
            statement.executeUpdate();
        }
    }
}
