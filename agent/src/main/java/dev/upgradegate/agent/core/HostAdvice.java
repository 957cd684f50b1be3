package dev.upgradegate.agent.core;

import dev.upgradegate.agent.bridge.GateBridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of Tomcat's {@code StandardHostValve.invoke}: skips the Host when the gate answered. */
final class HostAdvice {

    private HostAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    static boolean enter(@Advice.This Object hostValve, @Advice.Argument(0) Object request,
                         @Advice.Argument(1) Object response) {
        return GateBridge.host(hostValve, request, response);
    }
}
