package dev.upgradegate.agent.core;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.logging.Logger;

import dev.upgradegate.agent.bridge.GateBridge;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The agent once a target class loads: wires the gate into {@link GateBridge} and prepends one call to it at
 * the entry of each target method. This is written with the ASM that Byte Buddy ships (relocated) rather than
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
        ServletGates.configure(configFile);
        GateBridge.gate = new GateBridge.Gate() {
            @Override
            public boolean host(Object hostValve, Object request, Object response) throws Throwable {
                return TomcatHosts.gate(hostValve, request, response);
            }

            @Override
            public boolean servlet(String pathInContext, Object request, Object response) {
                return ServletGates.gate(pathInContext, request, response);
            }

            @Override
            public void started(Object contextHandler) throws ReflectiveOperationException {
                ServletGates.started(contextHandler);
            }
        };
        Logger.getLogger("dev.upgradegate").info("UpgradeGate agent started with " + configFile);
        return new AgentCore();
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain,
                            byte[] classFile) {
        Hook hook = Hook.of(internalName);
        ClassReader reader = new ClassReader(classFile);
        // The reader passed on: untouched methods are copied as they are. COMPUTE_MAXS, not COMPUTE_FRAMES:
        // frames would need the container's classes loaded; the one frame the hook adds is spelled out below.
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        int[] hooked = new int[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                if ((access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) != 0 || !hook.matches(name, descriptor)) {
                    return method;
                }
                hooked[0]++;
                return new MethodVisitor(Opcodes.ASM9, method) {
                    @Override
                    public void visitCode() {
                        super.visitCode();
                        hook.prepend(mv);
                    }
                };
            }
        }, 0);
        if (hooked[0] == 0) {
            return null;
        }
        // One line per target class, a handful per JVM: it tells operators where the gate sits.
        Logger.getLogger("dev.upgradegate").info("UpgradeGate agent instrumented " + internalName.replace('/', '.'));
        return writer.toByteArray();
    }

    /**
     * Where a target class is hooked: which method, which bridge method it calls with which of its local
     * variables ({@code this}, arguments; {@link #NONE} passes {@code null}), and whether a {@code true} from the
     * bridge returns at once (the gate answered the request).
     */
    static final class Hook {

        static final int NONE = -1;

        private static final String HOST = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)Z";
        private static final String SERVLET = "(Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;)Z";
        private static final String STARTED = "(Ljava/lang/Object;)V";

        private final String method;
        /** The whole descriptor, or for Jetty (whose request types differ between ee10 and ee11) its start. */
        private final String descriptor;
        private final String bridgeMethod;
        private final String bridgeDescriptor;
        private final int[] locals;

        private Hook(String method, String descriptor, String bridgeMethod, String bridgeDescriptor, int... locals) {
            this.method = method;
            this.descriptor = descriptor;
            this.bridgeMethod = bridgeMethod;
            this.bridgeDescriptor = bridgeDescriptor;
            this.locals = locals;
        }

        static Hook of(String internalName) {
            if (internalName.equals("org/apache/catalina/core/StandardHostValve")) {
                return new Hook("invoke", "(Lorg/apache/catalina/connector/Request;Lorg/apache/catalina/connector/Response;)V",
                        "host", HOST, 0, 1, 2);
            }
            if (internalName.startsWith("org/eclipse/jetty/")) {
                String ee = internalName.substring(0, internalName.indexOf("/servlet/"));
                if (internalName.endsWith("/ServletContextHandler")) {
                    // Before the webapp's listeners run: its class loader, resources and JNDI are in place.
                    return new Hook("contextInitialized", "()V", "started", STARTED, 0);
                }
                // ServletHandler$MappedServlet#handle(ServletHandler, String pathInContext, HttpServletRequest,
                // HttpServletResponse): Jetty's own decoded path, where getServletPath() throws for ambiguous URIs.
                return new Hook("handle", "(L" + ee + "/servlet/ServletHandler;Ljava/lang/String;", "servlet", SERVLET,
                        2, 3, 4);
            }
            String api = internalName.substring(0, internalName.indexOf('/'));
            String arguments = "(L" + api + "/servlet/ServletRequest;L" + api + "/servlet/ServletResponse;";
            return internalName.endsWith("Filter")
                    ? new Hook("doFilter", arguments + "L" + api + "/servlet/FilterChain;)V", "servlet", SERVLET, NONE, 1, 2)
                    : new Hook("service", arguments + ")V", "servlet", SERVLET, NONE, 1, 2);
        }

        boolean matches(String name, String candidate) {
            return name.equals(method) && (descriptor.endsWith(")V") ? candidate.equals(descriptor)
                    : candidate.startsWith(descriptor) && candidate.endsWith(")V"));
        }

        /**
         * {@code if (GateBridge.host(this, request, response)) return;}, {@code if (GateBridge.servlet(path,
         * request, response)) return;} or {@code GateBridge.started(this);}. The label after it has the method's
         * entry frame (nothing pushed, no local changed), so an F_SAME frame is exact, and the method's own
         * frames, relative to the entry frame, stay valid.
         */
        void prepend(MethodVisitor mv) {
            for (int local : locals) {
                if (local == NONE) {
                    mv.visitInsn(Opcodes.ACONST_NULL);
                } else {
                    mv.visitVarInsn(Opcodes.ALOAD, local);
                }
            }
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, bridgeMethod, bridgeDescriptor, false);
            if (bridgeDescriptor.endsWith(")Z")) {
                Label proceed = new Label();
                mv.visitJumpInsn(Opcodes.IFEQ, proceed);
                mv.visitInsn(Opcodes.RETURN);
                mv.visitLabel(proceed);
                mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
            }
        }
    }
}
