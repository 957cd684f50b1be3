package dev.upgradegate.agent.core;

import dev.upgradegate.agent.bridge.GateBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code HttpServlet.service} and {@code HttpFilter.doFilter}: skips them when the gate answered. */
final class ServletAdvice {

    private ServletAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object response) {
        return GateBridge.servlet(request, response);
    }
}
