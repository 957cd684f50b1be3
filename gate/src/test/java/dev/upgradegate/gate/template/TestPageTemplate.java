package dev.upgradegate.gate.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TestPageTemplate {

    private static final List<String> ADMIN = List.of("state", "message");

    @Test
    void everyValueIsEscapedAndOnlyRenderedMarkupGoesInAsItIs() {
        PageTemplate inner = PageTemplate.parse("<b>{{message}}</b>", ADMIN);
        Markup bold = inner.render(new Model().put("message", "<i>"));
        assertEquals("<b>&lt;i&gt;</b>", bold.toString());
        assertEquals("<p>&lt;&gt;&amp;&quot;&#39; <b>&lt;i&gt;</b></p>", PageTemplate.ours("test", "<p>{{text}} {{bold}}</p>")
                .render(new Model().put("text", "<>&\"'").put("bold", bold)).toString());
    }

    @Test
    void nullShowsAsNothingButAMissingNameIsABug() {
        assertEquals("<p></p>", PageTemplate.ours("test", "<p>{{text}}</p>").render(new Model().put("text", null)).toString());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> PageTemplate.ours("test", "<p>{{txet}}</p>").render(new Model().put("text", "x")));
        assertTrue(missing.getMessage().contains("{{txet}}"), missing.getMessage());
    }

    @Test
    void sectionsShowForTrueValuesRepeatForListsAndInvertedOnesForNothing() {
        PageTemplate list = PageTemplate.ours("test", "<ul>{{#items}}<li>{{name}} of {{owner}}</li>{{/items}}"
                + "{{^items}}<li>none</li>{{/items}}</ul>{{#note}}<p>{{note}}</p>{{/note}}{{#flag}}!{{/flag}}");
        assertEquals("<ul><li>a of ann</li><li>b of ann</li></ul><p>hi</p>!", list.render(new Model()
                .put("items", List.of(new Model().put("name", "a"), new Model().put("name", "b")))
                .put("owner", "ann").put("note", "hi").put("flag", true)).toString());
        assertEquals("<ul><li>none</li></ul>", list.render(new Model()
                .put("items", List.of()).put("owner", "ann").put("note", null).put("flag", false)).toString());
    }

    @Test
    void ourLineBreaksFoldToNothingBesideTagsAndToASpaceBetweenWords() {
        assertEquals("<div><p>one long sentence, {{x}}-free</p><p>next</p></div>".replace("{{x}}", "brace"),
                PageTemplate.ours("test", "<div>\n  <p>one long\n    sentence, {{x}}-free</p>\n  {{#y}}\n  <p>next</p>\n"
                        + "  {{/y}}\n</div>\n").render(new Model().put("x", "brace").put("y", true)).toString());
    }

    @Test
    void anAdministratorsPageIsSentAsWrittenWithItsOwnNamesOnly() {
        assertEquals("<p>\n  DOWN\n</p>\n", PageTemplate.parse("<p>\n  {{state}}\n</p>\n", ADMIN)
                .render(new Model().put("state", "DOWN")).toString());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> PageTemplate.parse("<p>\n{{#message}}x{{/message}}</p>", ADMIN));
        assertEquals("line 2: unknown placeholder {{#message}}; known are {{state}}, {{message}}",
                unknown.getMessage());
        IllegalArgumentException open = assertThrows(IllegalArgumentException.class,
                () -> PageTemplate.parse("a\nb {{state", ADMIN));
        assertEquals("line 2: '{{' is never closed with '}}'", open.getMessage());
    }

    @Test
    void unbalancedSectionsAreFoundWhenParsed() {
        assertThrows(IllegalArgumentException.class, () -> PageTemplate.ours("test", "{{#a}}x"));
        IllegalArgumentException crossed = assertThrows(IllegalArgumentException.class,
                () -> PageTemplate.ours("test", "{{#a}}{{#b}}{{/a}}{{/b}}"));
        assertEquals("line 1: {{/a}} closes {{#b}}", crossed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PageTemplate.ours("test", "{{/a}}"));
        assertThrows(IllegalArgumentException.class, () -> PageTemplate.ours("test", "{{a b}}"));
    }

    @Test
    void aMissingOrBrokenResourceNamesItself() {
        IllegalStateException missing = assertThrows(IllegalStateException.class,
                () -> PageTemplate.resource(TestPageTemplate.class, "no-such.html"));
        assertTrue(missing.getMessage().startsWith("no-such.html is missing"), missing.getMessage());
    }
}
