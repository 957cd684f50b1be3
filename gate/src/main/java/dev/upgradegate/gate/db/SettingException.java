package dev.upgradegate.gate.db;

import java.sql.SQLException;

/** A database failure whose cause is a setting, not the database: the webapp is misconfigured. */
public final class SettingException extends SQLException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public SettingException(String key, String message, Throwable cause) {
        super(key + ": " + message, "UG000", cause);
        this.key = key;
    }

    /** The configuration key at fault. */
    public String key() {
        return key;
    }
}
