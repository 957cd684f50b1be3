package com.example.shop;

import static com.example.shop.Html.escape;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shop 2.0.0's pages: 1.0.0's, plus SKUs and categories. */
final class Shop implements Handler {

    static final String VERSION = "2.0.0";

    private final ProductStore store;
    private final Layout layout;

    Shop(ProductStore store) {
        this.store = store;
        Map<String, String> links = new LinkedHashMap<>();
        links.put("/products", "Products");
        links.put("/products/add", "Add a product");
        links.put("/categories", "Categories");
        links.put("/api/products", "Products (JSON)");
        links.put("/static/hello.html", "Hello (static)");
        this.layout = new Layout("Shop " + VERSION, links);
    }

    @Override
    public Reply handle(Request request) throws SQLException {
        switch (request.path()) {
            case "":
                return request.isPost() ? Reply.methodNotAllowed() : index(request);
            case "/products":
                return request.isPost() ? Reply.methodNotAllowed() : products(request);
            case "/products/add":
                return request.isPost() ? addProduct(request) : addForm(request, new Form(request), 200);
            case "/categories":
                return request.isPost() ? Reply.methodNotAllowed() : categories(request);
            case "/api/products":
                return request.isPost() ? Reply.methodNotAllowed() : productsJson();
            default:
                return Reply.notFound();
        }
    }

    /** Does not touch the database. */
    private Reply index(Request request) {
        return Reply.html(layout.page(request.contextPath(), null,
                "<p>Welcome to " + escape(layout.shopTitle()) + ".</p>\n" + layout.linkList(request.contextPath())));
    }

    private Reply products(Request request) throws SQLException {
        StringBuilder body = new StringBuilder(
                "<table>\n<tr><th>ID</th><th>Name</th><th>Price</th><th>SKU</th><th>Category</th><th>Added</th></tr>\n");
        for (Product product : store.products()) {
            body.append("<tr><td>").append(product.id)
                    .append("</td><td>").append(escape(product.name))
                    .append("</td><td>").append(escape(product.price))
                    .append("</td><td>").append(escape(product.sku))
                    .append("</td><td>").append(escape(product.category))
                    .append("</td><td>").append(escape(product.createdAt))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
        return Reply.html(layout.page(request.contextPath(), "Products", body.toString()));
    }

    private Reply categories(Request request) throws SQLException {
        StringBuilder body = new StringBuilder("<table>\n<tr><th>ID</th><th>Name</th><th>Products</th></tr>\n");
        for (Category category : store.categories()) {
            body.append("<tr><td>").append(category.id)
                    .append("</td><td>").append(escape(category.name))
                    .append("</td><td>").append(category.productCount)
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
        return Reply.html(layout.page(request.contextPath(), "Categories", body.toString()));
    }

    private Reply addForm(Request request, Form form, int status) throws SQLException {
        StringBuilder options = new StringBuilder("<option value=\"\">(none)</option>\n");
        for (Category category : store.categories()) {
            String id = Long.toString(category.id);
            options.append("<option value=\"").append(id).append('"')
                    .append(id.equals(form.raw("category")) ? " selected" : "")
                    .append('>').append(escape(category.name)).append("</option>\n");
        }
        String body = form.errorsHtml()
                + "<form method=\"post\" action=\"" + escape(request.contextPath()) + "/products/add\">\n"
                + "<p><label>Name <input name=\"name\" maxlength=\"255\" value=\"" + escape(form.raw("name"))
                + "\"></label></p>\n"
                + "<p><label>Price <input name=\"price\" value=\"" + escape(form.raw("price")) + "\"></label></p>\n"
                + "<p><label>SKU <input name=\"sku\" maxlength=\"64\" value=\"" + escape(form.raw("sku"))
                + "\"></label></p>\n"
                + "<p><label>Category <select name=\"category\">\n" + options + "</select></label></p>\n"
                + "<p><button type=\"submit\">Add</button></p>\n"
                + "</form>\n";
        return Reply.html(status, layout.page(request.contextPath(), "Add a product", body));
    }

    private Reply addProduct(Request request) throws SQLException {
        Form form = new Form(request);
        String name = form.text("name", "Name", true, 255);
        BigDecimal price = form.price("price", "Price");
        String sku = form.text("sku", "SKU", false, 64);
        Long categoryId = form.optionalId("category", "Category");
        if (!form.isValid()) {
            return addForm(request, form, 400);
        }
        store.addProduct(name, price, sku, categoryId);
        return Reply.redirect("/products");
    }

    private Reply productsJson() throws SQLException {
        List<Object> products = new ArrayList<>();
        for (Product product : store.products()) {
            products.add(product.toJson());
        }
        return Reply.json(Json.write(products));
    }
}
