package dev.upgradegate.gate;

import java.nio.charset.StandardCharsets;
import java.util.Collection;

import dev.upgradegate.gate.http.Json;
import dev.upgradegate.gate.status.State;

/**
 * The host's readiness for load balancers and Kubernetes: ready when every gated webapp is UP. Webapps
 * without a database are not gated and not listed. Reads cached states only, so probes never add
 * database load beyond the usual background refresh.
 */
public final class Readiness {

    private final boolean ready;
    private final byte[] body;

    private Readiness(boolean ready, byte[] body) {
        this.ready = ready;
        this.body = body;
    }

    public static Readiness of(Collection<WebappGate> gates) {
        boolean ready = true;
        Json webapps = new Json();
        for (WebappGate gate : gates) {
            if (!gate.gated()) {
                continue;
            }
            State state = gate.parts().monitor().currentStatus().state();
            ready &= state == State.UP;
            webapps.field(gate.webapp().name(), new Json().field("state", state.name()).field("code", state.code()));
        }
        String json = new Json().field("status", ready ? "UP" : "DOWN").field("webapps", webapps).toString();
        return new Readiness(ready, json.getBytes(StandardCharsets.UTF_8));
    }

    /** 200 when ready, else 503. */
    public int httpStatus() {
        return ready ? 200 : 503;
    }

    public byte[] body() {
        return body;
    }
}
