package dev.upgradegate.migrations.backup;

import java.io.IOException;
import java.util.Locale;

/**
 * pg_dump did not make a backup. The message, for the log, carries pg_dump's own words (its standard error);
 * {@link #reason()} sorts them for a page, which shows none of them.
 */
public final class PgDumpException extends IOException {

    private static final long serialVersionUID = 1L;

    /** What went wrong, as far as pg_dump's exit and words tell. */
    public enum Reason {
        /** The binary is not there or may not be run. */
        NOT_RUNNABLE,
        /** The server refused the sign-in: a wrong or missing password, or a user it does not let in. */
        SIGN_IN,
        /** pg_dump is older than the server's major version. */
        VERSION_MISMATCH,
        /** No server answered at the URL's hosts and ports. */
        UNREACHABLE,
        /** The user may not read everything there is to dump. */
        PERMISSION,
        /** pg_dump exited well but wrote nothing, or stopped before its closing line. */
        INCOMPLETE,
        /** Any other non-zero exit. */
        FAILED
    }

    private final Reason reason;
    private final boolean passwordGiven;

    public PgDumpException(Reason reason, boolean passwordGiven, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.passwordGiven = passwordGiven;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether UpgradeGate gave pg_dump a password, or left it to the environment (~/.pgpass, PGPASSWORD). */
    public boolean passwordGiven() {
        return passwordGiven;
    }

    /** The reason pg_dump's standard error names, for a non-zero exit. */
    static Reason classify(String stderr) {
        String words = stderr.toLowerCase(Locale.ROOT);
        if (words.contains("server version mismatch")) {
            return Reason.VERSION_MISMATCH;
        }
        if (words.contains("password authentication failed") || words.contains("no password supplied")
                || words.contains("authentication failed") || words.contains("no pg_hba.conf entry")) {
            return Reason.SIGN_IN;
        }
        if (words.contains("permission denied")) {
            return Reason.PERMISSION;
        }
        if (words.contains("could not connect") || words.contains("connection refused")
                || words.contains("could not translate host name") || words.contains("timeout expired")) {
            return Reason.UNREACHABLE;
        }
        return Reason.FAILED;
    }
}
