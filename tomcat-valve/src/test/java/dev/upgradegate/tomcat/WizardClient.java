package dev.upgradegate.tomcat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser-like HTTP client for the wizard: keeps its session cookie, reads CSRF tokens off forms. */
final class WizardClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern COOKIE = Pattern.compile("upgradegate_install=([^;]*)");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    private final String[] headers;
    String cookie;
    String csrf;

    /** @param headers extra request headers in pairs, such as X-Forwarded-For */
    WizardClient(String base, String... headers) {
        this.base = base;
        this.headers = headers;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** Posts a form; {@code fields} in pairs. */
    HttpResponse<String> post(String path, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.length() > 0 ? "&" : "").append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8))
                    .append('=').append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    /**
     * Makes UpgradeGate's backup as an administrator would: the button, then the page that reloads itself
     * until the dump, which runs in the background, is written. Returns the make-backup POST's answer.
     */
    HttpResponse<String> makeBackup(String app, int seconds) throws InterruptedException {
        get(app + "/install/backup");
        HttpResponse<String> made = post(app + "/install/backup", "csrf", csrf, "action", "make");
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (!get(app + "/install/backup").body().contains("The backup is written.")) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the backup of " + app + " was not written within " + seconds + " s");
            }
            Thread.sleep(200);
        }
        return made;
    }

    /** Fetches the sign-in form, then signs in; returns the sign-in POST's answer. */
    HttpResponse<String> signIn(String app, String token) {
        get(app + "/install/signin");
        return post(app + "/install/signin", "csrf", csrf, "token", token);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(60));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        if (cookie != null) {
            request.header("Cookie", "upgradegate_install=" + cookie);
        }
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String set : response.headers().allValues("Set-Cookie")) {
                Matcher value = COOKIE.matcher(set);
                if (value.find()) {
                    cookie = value.group(1).isEmpty() ? null : value.group(1);
                }
            }
            Matcher token = CSRF.matcher(response.body());
            if (token.find()) {
                csrf = token.group(1);
            }
            return response;
        } catch (IOException e) {
            throw new AssertionError(request.build().uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static List<String> scripts(String html) {
        List<String> scripts = new ArrayList<>();
        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        while (script.find()) {
            scripts.add(script.group(1));
        }
        return scripts;
    }
}
