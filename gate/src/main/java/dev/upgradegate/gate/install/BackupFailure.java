package dev.upgradegate.gate.install;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.sql.SQLException;

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
