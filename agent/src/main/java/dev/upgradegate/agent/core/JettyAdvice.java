package dev.upgradegate.agent.core;

import dev.upgradegate.agent.bridge.GateBridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of Jetty's {@code ServletHandler.MappedServlet#handle(handler, path, request, response)}:
 * Jetty calls it once per dispatch, before the first filter, whatever the filters and servlets implement (plain
 * {@code Filter} and {@code Servlet} included), so gating here is gating the outermost filter or servlet.
 */
final class JettyAdvice {

    private JettyAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.Argument(2) Object request, @Advice.Argument(3) Object response) {
        return GateBridge.servlet(request, response);
    }
}
