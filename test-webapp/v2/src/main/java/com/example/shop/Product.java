package com.example.shop;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** A row of table product, with its category's name. */
final class Product {

    final long id;
    final String name;
    final BigDecimal price;
    final String sku;
    final String category;
    final LocalDateTime createdAt;

    Product(long id, String name, BigDecimal price, String sku, String category, LocalDateTime createdAt) {
        this.id = id;
        this.name = name;
        this.price = price;
        this.sku = sku;
        this.category = category;
        this.createdAt = createdAt;
    }

    /** The product as a JSON object for /api/products. */
    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        json.put("price", price);
        json.put("sku", sku);
        json.put("category", category);
        json.put("createdAt", createdAt == null ? null : createdAt.toString());
        return json;
    }
}
