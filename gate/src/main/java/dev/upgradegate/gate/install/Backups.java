package dev.upgradegate.gate.install;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

import dev.upgradegate.migrations.Dialect;
import dev.upgradegate.migrations.backup.PgDump;
import dev.upgradegate.migrations.backup.PgTarget;
import dev.upgradegate.migrations.backup.SchemaDump;

/**
 * Makes the wizard's backups: gzipped SQL dumps (UpgradeGate's own of MySQL and MariaDB, pg_dump's of
 * PostgreSQL) in a folder per webapp, readable by their owner only
 * (they hold the webapp's data). A new file every time, never one that exists: an earlier attempt's
 * backup may be the only good one. One dump at a time per webapp, each on its own thread.
 */
final class Backups {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /** The file {@link #newFile} has just created, and so is ours to fill. */
    private static final OpenOption[] NEW_FILE = {StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING};

    private final WebappParts gate;
    private final Path folder;
    private volatile Backup latest;
    private volatile Dialect dialect;
    private Job running;

    Backups(WebappParts gate) {
        this.gate = gate;
        this.folder = gate.hostSettings().backupDir().resolve(gate.webapp().name());
    }

    /** The newest backup made on this node since start, or {@code null}. */
    Backup latest() {
        return latest;
    }

    /**
     * One backup in the making. It runs on a thread of its own, never on the request's: dumping a large
     * database takes minutes, and a proxy would time the request out while the admin waits for nothing.
     */
    static final class Job {

        final long startedMillis = System.currentTimeMillis();
        private volatile Path file;
        private volatile Backup result;
        private volatile BackupFailure failure;

        boolean running() {
            return result == null && failure == null;
        }

        /** The finished backup, or {@code null} while it runs or when it failed. */
        Backup result() {
            return result;
        }

        /** Why it failed, or {@code null}. */
        BackupFailure failure() {
            return failure;
        }

        /** The file being written, or {@code null} before it exists. */
        Path file() {
            return file;
        }

        /** The compressed bytes written so far: the only progress a streaming dump can honestly show. */
        long bytesSoFar() {
            Path current = file;
            try {
                return current == null ? 0 : Files.size(current);
            } catch (IOException gone) {
                return 0;
            }
        }
    }

    /**
     * Starts a backup in the background, or returns the one already running for this webapp: two
     * admins asking at once both rely on the same fresh dump.
     */
    synchronized Job start() {
        Job current = running;
        if (current != null && current.running()) {
            return current;
        }
        Job job = new Job();
        Thread thread = new Thread(() -> run(job), "upgradegate-backup-" + gate.webapp().name());
        thread.setDaemon(true);
        // The request thread's context loader is the webapp's; the dump must not pin it.
        thread.setContextClassLoader(Backups.class.getClassLoader());
        running = job;
        thread.start();
        return job;
    }

    private void run(Job job) {
        try {
            job.result = make(job);
        } catch (Exception | Error e) {
            LOG.log(Level.WARNING, gate.webapp().name() + ": backup into " + folder + " failed", e);
            job.failure = BackupFailure.of(e, folder, job.file != null);
        }
    }

    /** Dumps the webapp's schema now, on the calling thread. */
    private Backup make(Job job) throws Exception {
        createFolder();
        String schema = gate.monitor().status().schemaVersion();
        String base = gate.webapp().name() + "-" + LocalDateTime.now().format(STAMP)
                + (schema == null ? "" : "-schema-" + schema.replaceAll("[^A-Za-z0-9._-]", "_"));
        Path file = newFile(base);
        job.file = file;
        long started = System.currentTimeMillis();
        try {
            Backup backup = gate.database().withLongConnection(connection -> write(connection, file));
            latest = backup;
            LOG.info(() -> gate.webapp().name() + ": backup written to " + file + " (" + backup.bytes + " bytes, "
                    + (System.currentTimeMillis() - started) + " ms)");
            return backup;
        } catch (Exception | Error e) {
            // Only the file this attempt created goes: a half-written dump would pass for a good one.
            Files.deleteIfExists(file);
            throw e;
        }
    }

    private Backup write(Connection connection, Path file) throws SQLException, IOException {
        SchemaDump.Summary summary;
        String restore;
        try (OutputStream gzip = new GZIPOutputStream(Files.newOutputStream(file, NEW_FILE), 64 * 1024)) {
            if (dialect(connection).postgres()) {
                PgTarget target = PgTarget.of(connection);
                summary = PgDump.write(gate.settings().pgDump(), target, gate.settings().jdbcPassword(), gzip);
                restore = RestoreCommand.psql(target, file);
            } else {
                Writer out = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8));
                summary = SchemaDump.write(connection, out);
                restore = RestoreCommand.mysql(connection, file, summary.schema());
            }
        }
        return new Backup(file, Files.size(file), summary.rowCounts(), restore, System.currentTimeMillis());
    }

    private Dialect dialect(Connection connection) throws SQLException {
        Dialect known = dialect;
        if (known == null) {
            known = Dialect.of(connection);
            dialect = known;
        }
        return known;
    }

    /**
     * Whether the webapp's database is PostgreSQL, asked of the database the first time only: a webapp's settings,
     * and so its database's kind, stay until the gate restarts. {@code false} while the database cannot be asked.
     */
    boolean postgres() {
        Dialect known = dialect;
        if (known == null) {
            try {
                known = gate.database().withConnection(this::dialect);
            } catch (Exception unreachable) {
                // The backup itself will say why it cannot reach the database.
                return false;
            }
        }
        return known.postgres();
    }

    /**
     * Why UpgradeGate cannot make this webapp's backup on this server, in a sentence, or {@code null} when it can:
     * PostgreSQL's is pg_dump's, and {@code backup.pgDump} may name none that is there.
     */
    String unavailable() {
        if (!postgres() || PgDump.locate(gate.settings().pgDump()) != null) {
            return null;
        }
        return "pg_dump, PostgreSQL's backup tool, cannot be found on this server: backup.pgDump is "
                + gate.settings().pgDump() + ", which is neither a program on the server's PATH nor a file it may run.";
    }

    private void createFolder() throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(folder);
        }
    }

    private Path newFile(String base) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path file = folder.resolve(base + (attempt == 1 ? "" : "-" + attempt) + ".sql.gz");
            try {
                if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(file);
                }
                return file;
            } catch (FileAlreadyExistsException taken) {
                if (attempt > 1000) {
                    throw taken;
                }
            }
        }
    }
}
