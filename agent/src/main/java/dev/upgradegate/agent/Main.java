package dev.upgradegate.agent;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;

import com.sun.tools.attach.VirtualMachine;

/**
 * {@code java -jar upgradegate-agent.jar attach <pid> [config=FILE]} attaches the agent to a running JVM;
 * every other command ({@code status}, {@code upgrade}, {@code release-lock}, {@code maintenance},
 * {@code doctor}) is the CLI, which runs in the agent's own class loader.
 */
public final class Main {

    /** Set by {@code bin/upgradegate} to its own path, so that the usage shows the command the user typed. */
    static final String COMMAND_PROPERTY = "upgradegate.command";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String invoked = System.getProperty(COMMAND_PROPERTY, "java -jar upgradegate-agent.jar");
        if (args.length > 0 && args[0].equals("attach")) {
            return attach(invoked, args, out, err);
        }
        try {
            AgentJar jar = AgentJar.locate();
            Object exit = jar.coreLoader().loadClass("dev.upgradegate.agent.cli.Cli")
                    .getMethod("run", String.class, String[].class, PrintStream.class, PrintStream.class)
                    .invoke(null, invoked, args, out, err);
            return (Integer) exit;
        } catch (InvocationTargetException e) {
            // The CLI reports its own failures; this is a fault of the CLI itself.
            return internalError(e.getCause(), args, err);
        } catch (Exception e) {
            return internalError(e, args, err);
        }
    }

    private static int internalError(Throwable e, String[] args, PrintStream err) {
        if (java.util.Arrays.asList(args).contains("--debug")) {
            e.printStackTrace(err);
        } else {
            err.println("upgradegate: internal error (" + e + "); run again with --debug for details");
        }
        return 1;
    }

    private static int attach(String invoked, String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || args.length > 3) {
            err.println("usage: " + invoked + " attach <pid> [config=/path/upgradegate.properties]");
            return 1;
        }
        try {
            AgentJar jar = AgentJar.locate();
            String options = args.length == 3 ? args[2] : "";
            AgentOptions.parse(options);
            VirtualMachine vm = VirtualMachine.attach(args[1]);
            try {
                vm.loadAgent(jar.path().toString(), options);
            } finally {
                vm.detach();
            }
            out.println("UpgradeGate agent attached to " + args[1]);
            return 0;
        } catch (Exception e) {
            err.println("cannot attach to " + args[1] + ": " + e);
            return 1;
        }
    }
}
