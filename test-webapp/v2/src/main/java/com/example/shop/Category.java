package com.example.shop;

/** A row of table category, with how many products it has. */
final class Category {

    final long id;
    final String name;
    final int productCount;

    Category(long id, String name, int productCount) {
        this.id = id;
        this.name = name;
        this.productCount = productCount;
    }
}
