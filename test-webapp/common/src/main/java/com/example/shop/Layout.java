package com.example.shop;

import static com.example.shop.Html.escape;

import java.util.LinkedHashMap;
import java.util.Map;

/** The frame of every shop page: a complete, self-contained HTML document with the shop's name and navigation. */
public final class Layout {

    private static final String STYLE = "body{font-family:sans-serif;margin:2em}"
            + "nav a{margin-right:1em}"
            + "table{border-collapse:collapse}"
            + "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
            + ".error{color:#b00}";

    private final String shopTitle;
    private final Map<String, String> links;

    /**
     * @param shopTitle the shop's name as shown on every page, e.g. "Shop 1.0.0"
     * @param links the pages to link to, in order: context-relative path to label
     */
    public Layout(String shopTitle, Map<String, String> links) {
        this.shopTitle = shopTitle;
        this.links = new LinkedHashMap<>(links);
    }

    public String shopTitle() {
        return shopTitle;
    }

    /**
     * A full page. {@code heading} is plain text (escaped here); {@code body} is HTML whose variable parts the
     * caller has escaped. A null heading makes the shop's name the heading.
     */
    public String page(String contextPath, String heading, String body) {
        String h1 = heading == null ? shopTitle : heading;
        String title = heading == null ? shopTitle : heading + " - " + shopTitle;
        return "<!DOCTYPE html>\n"
                + "<html lang=\"en\">\n"
                + "<head>\n"
                + "<meta charset=\"UTF-8\">\n"
                + "<title>" + escape(title) + "</title>\n"
                + "<style>" + STYLE + "</style>\n"
                + "</head>\n"
                + "<body>\n"
                + "<header><nav><a href=\"" + escape(contextPath) + "/\"><strong>" + escape(shopTitle) + "</strong></a>"
                + navigation(contextPath) + "</nav></header>\n"
                + "<main>\n"
                + "<h1>" + escape(h1) + "</h1>\n"
                + body
                + "</main>\n"
                + "</body>\n"
                + "</html>\n";
    }

    /** The pages as an HTML list, for the index page. */
    public String linkList(String contextPath) {
        StringBuilder html = new StringBuilder("<ul>\n");
        links.forEach((path, label) -> html.append("<li>").append(link(contextPath, path, label)).append("</li>\n"));
        return html.append("</ul>\n").toString();
    }

    private String navigation(String contextPath) {
        StringBuilder html = new StringBuilder();
        links.forEach((path, label) -> html.append(' ').append(link(contextPath, path, label)));
        return html.toString();
    }

    private static String link(String contextPath, String path, String label) {
        return "<a href=\"" + escape(contextPath + path) + "\">" + escape(label) + "</a>";
    }
}
