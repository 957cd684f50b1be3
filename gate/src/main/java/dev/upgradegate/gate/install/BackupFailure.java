package dev.upgradegate.gate.install;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.sql.SQLException;

import dev.upgradegate.migrations.backup.PgDumpException;

/**
 * Why a backup failed, in words for the admin: the exception's own message may quote SQL or a driver's
 * internals, so it goes to the server log only, and the page gets what it means and what would help.
 */
final class BackupFailure {

    /** What went wrong, as a sentence. */
    final String cause;
    /** What would fix it before a retry, as a sentence, or {@code null} when a retry is all there is. */
    final String remedy;

    private BackupFailure(String cause, String remedy) {
        this.cause = cause;
        this.remedy = remedy;
    }

    /**
     * @param folder the webapp's backup folder
     * @param fileCreated whether the dump's file had been created: before, the folder is at fault
     */
    static BackupFailure of(Throwable failure, Path folder, boolean fileCreated) {
        if (failure instanceof PgDumpException) {
            return pgDump((PgDumpException) failure);
        }
        if (failure instanceof SQLException) {
            return new BackupFailure("Reading the database failed part-way through the dump: the database or its "
                    + "JDBC driver refused a read.", null);
        }
        if (failure instanceof IOException && !fileCreated) {
            return new BackupFailure("UpgradeGate cannot write its backup folder " + folder + ": "
                    + folderReason((IOException) failure) + ".",
                    "Give the user the server runs as write access there, or point backup.dir at a folder it can "
                            + "write (a restart applies it).");
        }
        if (failure instanceof IOException) {
            String reason = failure instanceof FileSystemException ? ((FileSystemException) failure).getReason()
                    : failure.getMessage();
            return new BackupFailure("Writing the backup file failed" + (reason == null ? "." : ": " + reason + "."),
                    "Check the free space and the permissions in " + folder + ".");
        }
        return new BackupFailure("The dump stopped on an unexpected error.", null);
    }

    /** pg_dump's words, sorted: they name hosts, users and at times SQL, so they stay in the log. */
    private static BackupFailure pgDump(PgDumpException failure) {
        switch (failure.reason()) {
            case NOT_RUNNABLE:
                return new BackupFailure("pg_dump, PostgreSQL's backup tool, cannot be run on this server.",
                        "Install PostgreSQL's client tools (such as the postgresql-client package), or point "
                                + "backup.pgDump at pg_dump (a restart applies it).");
            case SIGN_IN:
                return new BackupFailure("The database refused pg_dump's sign-in.", failure.passwordGiven()
                        ? "Check that jdbc.user and jdbc.password are the ones the webapp connects with."
                        : "UpgradeGate had no password to give pg_dump (a JNDI DataSource does not tell its own, and "
                                + "jdbc.password is not set): put one in the ~/.pgpass of the user the server runs as, "
                                + "or in PGPASSWORD in its environment.");
            case VERSION_MISMATCH:
                return new BackupFailure("pg_dump is older than the database server, and refuses to dump it.",
                        "Install the pg_dump of the server's major version or newer, and point backup.pgDump at it"
                                + " (a restart applies it).");
            case UNREACHABLE:
                return new BackupFailure("pg_dump could not reach the database server at the address the webapp "
                        + "connects to.", "Check that this server may reach the database's host and port.");
            case PERMISSION:
                return new BackupFailure("The database user may not read everything pg_dump must back up.",
                        "Grant it read access to every table and sequence of the webapp, or back up as their owner.");
            case INCOMPLETE:
                return new BackupFailure("pg_dump ended without writing a complete backup.", null);
            default:
                return new BackupFailure("pg_dump stopped with an error.", null);
        }
    }

    private static String folderReason(IOException failure) {
        if (failure instanceof FileAlreadyExistsException || failure instanceof NotDirectoryException) {
            return "a file is in the way where the folder should be";
        }
        if (failure instanceof AccessDeniedException) {
            return "permission denied";
        }
        String reason = failure instanceof FileSystemException ? ((FileSystemException) failure).getReason() : null;
        return reason != null ? reason : "it cannot be created";
    }
}
