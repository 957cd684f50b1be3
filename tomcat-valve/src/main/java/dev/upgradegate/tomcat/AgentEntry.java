package dev.upgradegate.tomcat;

import java.io.IOException;
import java.util.function.BiPredicate;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;

/**
 * How the javaagent reaches a Host's {@link UpgradeGateValve} on every request. The agent's own classes know
 * only JDK types, so it holds this as a {@link BiPredicate}: a plain interface call, where reflection or a
 * proxy next valve would allocate argument arrays on every request.
 */
public final class AgentEntry implements BiPredicate<Object, Object> {

    private final UpgradeGateValve valve;

    public AgentEntry(UpgradeGateValve valve) {
        this.valve = valve;
    }

    /** Whether the gate answered the request; {@code false} lets the Host run as usual. */
    @Override
    public boolean test(Object request, Object response) {
        try {
            return valve.answered((Request) request, (Response) response);
        } catch (IOException clientGone) {
            // Writing the gate's own answer failed: the request was answered, the Host must not run.
            return true;
        }
    }
}
