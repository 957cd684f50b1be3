package dev.upgradegate.agent.core;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.logging.Logger;

import dev.upgradegate.agent.HookedClass;
import dev.upgradegate.agent.bridge.GateBridge;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The agent once a target class loads: wires the gate into {@link GateBridge} and prepends one call to it at
 * the entry of each method {@link HookedClass} names. This is written with the ASM that Byte Buddy ships (relocated) rather than
 * with Byte Buddy's advice: the advice needed Byte Buddy's type pool and some 800 classes on Tomcat's startup
 * path (about 1.7 s on the reference machine), this needs a dozen classes. The prepended code names JDK types
 * only, so nothing of the agent needs to be visible to the container's class loaders but the boot bridge.
 */
public final class AgentCore implements ClassFileTransformer {

    private static final String BRIDGE = "dev/upgradegate/agent/bridge/GateBridge";

    private AgentCore() {
    }

    /** Called once, by the launcher, from inside the first target's class load. */
    public static ClassFileTransformer start(Instrumentation instrumentation, String agentJar, String configFile)
            throws Exception {
        TomcatHosts.configure(agentJar, configFile, AgentCore.class.getClassLoader());
        ServletGates servletGates = new ServletGates(ServletAccessors.nested(agentJar, AgentCore.class.getClassLoader()),
                Path.of(configFile));
        GateBridge.gate = new GateBridge.Gate() {
            @Override
            public boolean host(Object hostValve, Object request, Object response) throws Throwable {
                return TomcatHosts.gate(hostValve, request, response);
            }

            @Override
            public boolean dispatch(String pathInContext, Object request, Object response) {
                return servletGates.dispatch(pathInContext, request, response);
            }

            @Override
            public boolean fallback(Object request, Object response) {
                return servletGates.fallback(request, response);
            }

            @Override
            public void started(Object contextHandler) throws ReflectiveOperationException {
                servletGates.started(contextHandler);
            }
        };
        Logger.getLogger("dev.upgradegate").info("UpgradeGate agent started with " + configFile);
        return new AgentCore();
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) {
        HookedClass hooked = HookedClass.of(internalName);
        if (hooked == null) {
            return null;
        }
        ClassReader reader = new ClassReader(classFile);
        // The reader passed on: untouched methods are copied as they are. COMPUTE_MAXS, not COMPUTE_FRAMES:
        // frames would need the container's classes loaded; the one frame the hook adds is spelled out below.
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        int[] count = new int[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) != 0 || !hooked.hooks(name, descriptor)) {
                    return method;
                }
                count[0]++;
                return new MethodVisitor(Opcodes.ASM9, method) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        prepend(hooked, mv);
                    }
                };
            }
        }, 0);
        if (count[0] == 0) {
            return null;
        }
        // One line per target class, a handful per JVM: it tells operators where the gate sits.
        Logger.getLogger("dev.upgradegate").info("UpgradeGate agent instrumented " + internalName.replace('/', '.'));
        return writer.toByteArray();
    }

    /**
     * {@code if (GateBridge.host(this, request, response)) return;} and the like, or {@code GateBridge.started(this);}.
     * The label after it has the method's entry frame (nothing pushed, no local changed), so an F_SAME frame is
     * exact, and the method's own frames, relative to the entry frame, stay valid.
     */
    private static void prepend(HookedClass hooked, MethodVisitor mv) {
        for (int i = 0; i < hooked.locals(); i++) {
            mv.visitVarInsn(Opcodes.ALOAD, hooked.local(i));
        }
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, hooked.advice.method, hooked.advice.descriptor, false);
        if (hooked.advice.answers()) {
            Label proceed = new Label();
            mv.visitJumpInsn(Opcodes.IFEQ, proceed);
            mv.visitInsn(Opcodes.RETURN);
            mv.visitLabel(proceed);
            mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        }
    }
}
