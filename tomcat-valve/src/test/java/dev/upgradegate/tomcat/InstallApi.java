package dev.upgradegate.tomcat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;

import dev.upgradegate.testsupport.Http;

/** The install endpoint's Bearer API of one Tomcat, as an administrator's script calls it. */
final class InstallApi {

    private final Http http;
    private final String token;
    private final String[] auth;

    InstallApi(Http http, String token) {
        this.http = http;
        this.token = token;
        this.auth = new String[] {"Authorization", "Bearer " + token};
    }

    String status(String app) {
        return http.get(app + "/install/status", auth).body();
    }

    HttpResponse<String> awaitState(String app, String state) {
        return http.await(app + "/install/status", 60, Http.state(state), auth);
    }

    /** Starts the upgrade of {@code app} and waits until it is UP. */
    void upgradeToUp(String app) {
        HttpResponse<String> started = http.upgrade(app, token);
        assertEquals(202, started.statusCode(), started.body());
        awaitState(app, "UP");
    }
}
