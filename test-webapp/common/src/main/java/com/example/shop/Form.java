package com.example.shop;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Reads and validates a posted form's fields, collecting a message for each invalid one. */
public final class Form {

    /** The largest price a DECIMAL(10,2) column holds. */
    private static final BigDecimal MAX_PRICE = new BigDecimal("99999999.99");

    private final Request request;
    private final List<String> errors = new ArrayList<>();

    public Form(Request request) {
        this.request = request;
    }

    /** The field as posted, "" when absent; for showing the form again. */
    public String raw(String name) {
        String value = request.parameter(name);
        return value == null ? "" : value;
    }

    /** The trimmed field, null when blank; an error when required and blank, or longer than maxLength. */
    public String text(String name, String label, boolean required, int maxLength) {
        String value = raw(name).trim();
        if (value.isEmpty()) {
            if (required) {
                errors.add(label + " is required.");
            }
            return null;
        }
        if (value.length() > maxLength) {
            errors.add(label + " must be at most " + maxLength + " characters.");
            return null;
        }
        return value;
    }

    /** A required amount from 0 to 99999999.99 with at most two decimals, or null after adding an error. */
    public BigDecimal price(String name, String label) {
        String value = text(name, label, true, 32);
        if (value == null) {
            return null;
        }
        try {
            BigDecimal price = new BigDecimal(value).setScale(2, RoundingMode.UNNECESSARY);
            if (price.signum() >= 0 && price.compareTo(MAX_PRICE) <= 0) {
                return price;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        errors.add(label + " must be an amount from 0 to " + MAX_PRICE.toPlainString() + " with at most two decimals.");
        return null;
    }

    /** An optional positive id, null when blank or after adding an error. */
    public Long optionalId(String name, String label) {
        String value = text(name, label, false, 19);
        if (value == null) {
            return null;
        }
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(label + " is not valid.");
        return null;
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    public List<String> errors() {
        return Collections.unmodifiableList(errors);
    }

    /** The errors as an HTML list, "" when there are none. */
    public String errorsHtml() {
        if (errors.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<ul class=\"error\">\n");
        for (String error : errors) {
            html.append("<li>").append(Html.escape(error)).append("</li>\n");
        }
        return html.append("</ul>\n").toString();
    }
}
