package dev.upgradegate.gate.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import dev.upgradegate.migrations.backup.PgDumpException;

class TestBackupFailure {

    private static final Path FOLDER = Path.of("/var/backups/shop");

    @Test
    void aFileWhereTheFolderShouldBeIsSaidSo() {
        BackupFailure failure = BackupFailure.of(new FileAlreadyExistsException(FOLDER.toString()), FOLDER, false);
        assertEquals("UpgradeGate cannot write its backup folder /var/backups/shop: a file is in the way where the"
                + " folder should be.", failure.cause);
        assertTrue(failure.remedy.contains("backup.dir"), failure.remedy);
    }

    @Test
    void aFolderItMayNotWriteIsSaidSo() {
        BackupFailure failure = BackupFailure.of(new AccessDeniedException(FOLDER.toString()), FOLDER, false);
        assertTrue(failure.cause.endsWith(": permission denied."), failure.cause);
    }

    @Test
    void aFullDiskWhileWritingIsSaidSo() {
        BackupFailure failure = BackupFailure.of(new FileSystemException(FOLDER.resolve("x.sql.gz").toString(), null,
                "No space left on device"), FOLDER, true);
        assertEquals("Writing the backup file failed: No space left on device.", failure.cause);
        assertTrue(failure.remedy.contains("free space"), failure.remedy);
    }

    @Test
    void theDatabasesOwnWordsStayInTheLog() {
        BackupFailure failure = BackupFailure.of(new SQLException("Data type DATETIME cannot be decoded as byte[] in"
                + " SELECT * FROM `DATABASECHANGELOG`"), FOLDER, true);
        assertFalse(failure.cause.contains("SELECT") || failure.cause.contains("DATETIME"), failure.cause);
        assertNull(failure.remedy, "a retry is all there is");
    }

    @Test
    void anythingElseNamesNoInternals() {
        BackupFailure failure = BackupFailure.of(new IllegalStateException("java.lang.Whatever at line 3"), FOLDER, true);
        assertEquals("The dump stopped on an unexpected error.", failure.cause);
        assertFalse(BackupFailure.of(new IOException("x"), FOLDER, false).cause.contains("IOException"));
    }

    @Test
    void pgDumpsOwnWordsStayInTheLogAndTheRemedyFitsHowItGotItsPassword() {
        String said = "pg_dump: error: connection to server at \"db\" (10.0.0.5), port 5432 failed: FATAL:  password"
                + " authentication failed for user \"shop\"";
        BackupFailure configured = BackupFailure.of(new PgDumpException(PgDumpException.Reason.SIGN_IN, true, said,
                null), FOLDER, true);
        assertEquals("The database refused pg_dump's sign-in.", configured.cause);
        assertTrue(configured.remedy.contains("jdbc.password"), configured.remedy);
        BackupFailure jndi = BackupFailure.of(new PgDumpException(PgDumpException.Reason.SIGN_IN, false, said, null),
                FOLDER, true);
        assertTrue(jndi.remedy.contains("~/.pgpass") && jndi.remedy.contains("PGPASSWORD"), jndi.remedy);
    }

    @Test
    void everyPgDumpFailureIsSaidInPlainWords() {
        for (PgDumpException.Reason reason : PgDumpException.Reason.values()) {
            BackupFailure failure = BackupFailure.of(new PgDumpException(reason, true,
                    "pg_dump: error: query failed: SELECT secret FROM x", null), FOLDER, true);
            assertTrue(failure.cause.contains("pg_dump") || failure.cause.contains("database"), failure.cause);
            assertFalse(failure.cause.contains("SELECT") || failure.cause.contains("error:"), failure.cause);
        }
        assertTrue(BackupFailure.of(new PgDumpException(PgDumpException.Reason.NOT_RUNNABLE, true, "x", null), FOLDER,
                true).remedy.contains("backup.pgDump"));
    }
}
