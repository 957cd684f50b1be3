package dev.upgradegate.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the CLI as a user starts it, with its stdout and stderr apart: {@code --json} must leave JSON alone
 * on stdout and nothing on stderr.
 */
final class CliRun {

    /** {@code bin/upgradegate} as the distribution ships it. */
    static final Path LAUNCHER = Path.of(System.getProperty("upgradegate.launcher"));

    final int exit;
    final String out;
    final String err;

    private CliRun(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    /** {@code java -jar upgradegate-agent.jar ARGS}. */
    static CliRun jar(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(ServerProcess.JAVA_HOME, "bin", "java").toString(),
                "-jar", Fixtures.AGENT.toString()));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    /**
     * {@code bin/upgradegate ARGS} from a folder laid out as the distribution's zip: {@code bin/} beside
     * {@code lib/upgradegate-agent-*.jar}.
     */
    static CliRun script(Path distribution, String... args) throws IOException, InterruptedException {
        Path bin = distribution.resolve("bin/upgradegate");
        if (!Files.exists(bin)) {
            Files.createDirectories(bin.getParent());
            Files.createDirectories(distribution.resolve("lib"));
            Files.copy(LAUNCHER, bin);
            Files.copy(Fixtures.AGENT, distribution.resolve("lib").resolve(Fixtures.AGENT.getFileName()));
        }
        List<String> command = new ArrayList<>(List.of("sh", bin.toString()));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    private static CliRun run(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("upgradegate-cli-", ".out");
        Path err = Files.createTempFile("upgradegate-cli-", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("JAVA_HOME", ServerProcess.JAVA_HOME);
        builder.environment().remove("UPGRADEGATE_JAVA_OPTS");
        Process process = builder.start();
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                throw new AssertionError(command + " did not end within 120 s");
            }
            return new CliRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
}
