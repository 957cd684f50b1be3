package dev.upgradegate.gate.template;

/**
 * HTML that a template rendered, every value in it escaped: the one kind of value another template
 * inserts as it is. Only {@link PageTemplate} makes it, so no string reaches a page unescaped by mistake.
 */
public final class Markup {

    private final String html;

    Markup(String html) {
        this.html = html;
    }

    @Override
    public String toString() {
        return html;
    }
}
