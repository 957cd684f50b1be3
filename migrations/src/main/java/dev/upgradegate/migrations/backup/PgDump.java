package dev.upgradegate.migrations.backup;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL database dumped by PostgreSQL's own {@code pg_dump}, as the plain SQL that {@code psql} replays:
 * every object and row from pg_dump's one snapshot, with DROP ... IF EXISTS before each object so that the same
 * script restores into an empty database or over the one it came from. Only the webapp's schema when it works in
 * one other than {@code public}. The password never goes on the command line, which every local user may read:
 * pg_dump gets it from a password file of its own, readable by its owner only and deleted afterwards; without
 * one, pg_dump finds its own in the environment (~/.pgpass, PGPASSWORD).
 */
public final class PgDump {

    /** The binary looked for on PATH when none is configured. */
    public static final String DEFAULT_BINARY = "pg_dump";

    /** pg_dump's standard error is kept this far for the log; what it says first says why. */
    private static final int STDERR_CHARS = 16 * 1024;

    private PgDump() {
    }

    /**
     * The pg_dump {@code configured} names, if it is there and may be run: a path as it is, a bare name looked up on
     * PATH as a shell would. {@code null} when there is none.
     */
    public static Path locate(String configured) {
        if (configured.contains("/") || configured.contains(File.separator)) {
            return runnable(configured);
        }
        String path = System.getenv("PATH");
        // Windows' programs carry their extension, which its shell adds by itself.
        String[] names = File.separatorChar == '\\' ? new String[] {configured, configured + ".exe"}
                : new String[] {configured};
        for (String folder : path == null ? new String[0] : path.split(File.pathSeparator)) {
            for (String name : names) {
                Path found = runnable(folder.isEmpty() ? name : folder + File.separator + name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static Path runnable(String name) {
        try {
            Path file = Path.of(name);
            return Files.isRegularFile(file) && Files.isExecutable(file) ? file.toAbsolutePath() : null;
        } catch (InvalidPathException notAPath) {
            return null;
        }
    }

    /**
     * Runs the pg_dump {@code configured} names (see {@link #locate}) on {@code target} and streams its dump into
     * {@code out}, which the caller closes.
     *
     * @param password the password the settings give, or {@code null} (or empty) to use one in the URL or else the
     *                 environment's
     * @throws PgDumpException when pg_dump cannot be run, exits with an error, or writes no complete dump
     */
    public static SchemaDump.Summary write(String configured, PgTarget target, String password, OutputStream out)
            throws IOException {
        String secret = given(password) ? password : given(target.urlPassword()) ? target.urlPassword() : null;
        Path binary = locate(configured);
        if (binary == null) {
            throw new PgDumpException(PgDumpException.Reason.NOT_RUNNABLE, secret != null,
                    configured + " is neither a program on PATH nor a file that may be run", null);
        }
        ProcessBuilder builder = new ProcessBuilder(command(binary, target));
        Path passFile = null;
        try {
            if (secret != null) {
                passFile = passFile(secret);
                builder.environment().put("PGPASSFILE", passFile.toString());
                // It would win over the file, and it is the server's, not this webapp's.
                builder.environment().remove("PGPASSWORD");
            }
            Process process;
            try {
                process = builder.start();
            } catch (IOException cannotRun) {
                throw new PgDumpException(PgDumpException.Reason.NOT_RUNNABLE, secret != null,
                        binary + " cannot be run: " + cannotRun.getMessage(), cannotRun);
            }
            return dump(process, binary, target, secret, out);
        } finally {
            if (passFile != null) {
                Files.deleteIfExists(passFile);
            }
        }
    }

    /** An empty password is none: libpq would send it, and the environment's would not be tried. */
    private static boolean given(String password) {
        return password != null && !password.isEmpty();
    }

    private static List<String> command(Path binary, PgTarget target) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--format=plain", "--no-password",
                "--clean", "--if-exists", "--dbname=" + target.conninfo()));
        if (target.schema() != null) {
            // A pattern: quoted, its name is matched as it is, case and wildcard characters included.
            command.add("--schema=\"" + target.schema().replace("\"", "\"\"") + "\"");
        }
        return command;
    }

    /** A password file that matches any server, for this one run: libpq ignores it unless only its owner may read it. */
    private static Path passFile(String secret) throws IOException {
        Path file = File.separatorChar == '/'
                ? Files.createTempFile("upgradegate-pgpass", null,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile("upgradegate-pgpass", null);
        try {
            Files.writeString(file, "*:*:*:*:" + secret.replace("\\", "\\\\").replace(":", "\\:") + "\n",
                    StandardCharsets.UTF_8);
            return file;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private static SchemaDump.Summary dump(Process process, Path binary, PgTarget target, String secret,
                                           OutputStream out) throws IOException {
        process.getOutputStream().close();
        StandardError errors = new StandardError(process.getErrorStream());
        CopyRows rows = new CopyRows();
        int exit;
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                rows.scan(buffer, n);
                out.write(buffer, 0, n);
            }
            exit = process.waitFor();
            errors.join();
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stopped while " + binary + " was dumping " + target);
        } finally {
            // A write that failed (a full disk) leaves pg_dump blocked on a pipe no one reads.
            process.destroyForcibly();
        }
        String said = errors.text(secret);
        boolean passwordGiven = secret != null;
        if (exit != 0) {
            throw new PgDumpException(PgDumpException.classify(said), passwordGiven,
                    binary + " exited with " + exit + " dumping " + target + ": " + said, null);
        }
        if (!rows.complete()) {
            throw new PgDumpException(PgDumpException.Reason.INCOMPLETE, passwordGiven, binary + " exited well but "
                    + (rows.bytes() == 0 ? "wrote nothing" : "its dump of " + rows.bytes() + " bytes lacks the closing"
                    + " line") + " dumping " + target + (said.isEmpty() ? "" : ": " + said), null);
        }
        return new SchemaDump.Summary(target.toString(), rows.counts());
    }

    /** pg_dump's standard error, read on a thread of its own so that neither pipe fills and stalls pg_dump. */
    private static final class StandardError extends Thread {

        private final InputStream in;
        private final StringBuilder text = new StringBuilder();

        StandardError(InputStream in) {
            super("upgradegate-pg_dump-stderr");
            this.in = in;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try (InputStream stream = in) {
                for (int n; (n = stream.read(buffer)) > 0; ) {
                    synchronized (text) {
                        if (text.length() < STDERR_CHARS) {
                            text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        }
                    }
                }
            } catch (IOException closed) {
                // The process is gone; what it said so far is what there is.
            }
        }

        /** What pg_dump said, trimmed, without {@code secret} should it ever echo it. */
        String text(String secret) {
            String said;
            synchronized (text) {
                said = text.length() > STDERR_CHARS ? text.substring(0, STDERR_CHARS) : text.toString();
            }
            said = said.trim();
            return secret == null || secret.isEmpty() ? said : said.replace(secret, "********");
        }
    }
}
