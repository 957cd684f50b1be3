package dev.upgradegate.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A small HTTP client for tests: what a browser, curl or a deploy script would send. */
public final class Http {

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String base;

    public Http(String base) {
        this.base = base;
    }

    /** The server's root URL, such as {@code http://127.0.0.1:8080}. */
    public String base() {
        return base;
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, headers);
    }

    public HttpResponse<String> send(String method, String path, String... headers) {
        return sendBody(method, path, null, headers);
    }

    /** A request with a body, as a form or JSON post; {@code body} may be {@code null} for none. */
    public HttpResponse<String> sendBody(String method, String path, String body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            try {
                return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException closedUnderUs) {
                // A pooled keep-alive connection the server had just closed: nothing reached the server, and
                // a browser or curl would simply send again on a new connection.
                if (!String.valueOf(closedUnderUs.getMessage()).contains("received no bytes")) {
                    throw closedUnderUs;
                }
                return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            }
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public HttpResponse<String> upgrade(String app, String token) {
        return send("POST", app + "/install/upgrade", "Authorization", "Bearer " + token, "Accept", "application/json");
    }

    /** Polls {@code path} until {@code done} holds, for at most {@code seconds}. */
    public HttpResponse<String> await(String path, int seconds, Predicate<HttpResponse<String>> done, String... headers) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        HttpResponse<String> last = get(path, headers);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + seconds + " s for " + path + "; last answer " + last.statusCode()
                        + ": " + last.body());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            last = get(path, headers);
        }
        return last;
    }

    /**
     * The status resource answers with a checked state: the webapp is deployed and its first database check is done
     * (not {@code STARTING}, which a loaded machine may show for a few seconds after a deploy).
     */
    public static Predicate<HttpResponse<String>> checked() {
        return response -> response.statusCode() == 200 && !response.body().contains("\"STARTING\"");
    }

    public static Predicate<HttpResponse<String>> state(String state) {
        return response -> response.body().contains("\"state\":\"" + state + "\"");
    }
}
