package dev.upgradegate.gate.install;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.upgradegate.gate.http.FakeExchange;

/** One browser on the wizard of {@code /shop}: it keeps the wizard's cookie and fills in the CSRF field. */
final class WizardBrowser {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"");

    final Wizard wizard;
    private String cookie;
    private String csrf;

    WizardBrowser(Wizard wizard) {
        this.wizard = wizard;
    }

    FakeExchange get(String resource) throws IOException {
        return send(new FakeExchange("GET", "/install" + resource, "/shop"), resource);
    }

    /** Posts {@code fields} (name, value, name, value…) with the CSRF token of the last page that had one. */
    FakeExchange post(String resource, String... fields) throws IOException {
        StringBuilder body = new StringBuilder("csrf=").append(csrf == null ? "" : encode(csrf));
        for (int i = 0; i < fields.length; i += 2) {
            body.append('&').append(encode(fields[i])).append('=').append(encode(fields[i + 1]));
        }
        return postRaw(resource, body.toString());
    }

    FakeExchange postRaw(String resource, String form) throws IOException {
        byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
        FakeExchange exchange = new FakeExchange("POST", "/install" + resource, "/shop") {
            @Override
            public InputStream requestBody() {
                return new ByteArrayInputStream(bytes);
            }
        };
        exchange.with("Content-Type", "application/x-www-form-urlencoded");
        return send(exchange, resource);
    }

    /** Signs in with {@code token} from a fresh sign-in form. */
    FakeExchange signIn(String token) throws IOException {
        get("/signin");
        return post("/signin", "token", token);
    }

    private FakeExchange send(FakeExchange exchange, String resource) throws IOException {
        exchange.with("Cookie", cookie == null ? null : Sessions.COOKIE + "=" + cookie);
        if (!wizard.handle(exchange, resource)) {
            throw new AssertionError(resource + " is not the wizard's");
        }
        List<String> cookies = exchange.responseHeaders().get("set-cookie");
        if (cookies != null) {
            String set = cookies.get(cookies.size() - 1);
            String value = set.substring(set.indexOf('=') + 1, set.indexOf(';'));
            cookie = value.isEmpty() ? null : value;
        }
        Matcher found = CSRF.matcher(exchange.bodyText());
        if (found.find()) {
            csrf = found.group(1);
        }
        return exchange;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
