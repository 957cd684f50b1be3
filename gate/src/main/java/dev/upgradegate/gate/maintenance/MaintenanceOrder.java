package dev.upgradegate.gate.maintenance;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import dev.upgradegate.gate.db.Secrets;

/**
 * An order to turn manual maintenance on, checked: the one validator of the HTTP API, the wizard, JMX and the
 * CLI, so that each refuses the same values with the same words.
 */
public final class MaintenanceOrder {

    /** The table's column holds no more. */
    static final int MAX_MESSAGE = 1000;
    /** A year. */
    static final long MAX_MINUTES = 525_600;

    private final String message;
    private final long untilMillis;
    private final String secret;

    private MaintenanceOrder(String message, long untilMillis, String secret) {
        this.message = message;
        this.untilMillis = untilMillis;
        this.secret = secret;
    }

    /**
     * @param message what visitors will read; blank for the state's own words
     * @param until when it ends by itself: ISO-8601 with offset, e.g. 2030-01-01T12:00:00Z; blank for never
     * @param minutes or how many minutes from now it lasts; blank for never
     * @param secret the bypass secret; blank for a random one
     * @throws IllegalArgumentException naming the field at fault and what it must be
     */
    public static MaintenanceOrder of(String message, String until, String minutes, String secret, long nowMillis) {
        String text = blankToNull(message);
        if (text != null && text.length() > MAX_MESSAGE) {
            throw new IllegalArgumentException("message is longer than " + MAX_MESSAGE + " characters");
        }
        long end = until(until, minutes, nowMillis);
        String bypass = blankToNull(secret);
        if (bypass != null && !Secrets.acceptable(bypass)) {
            throw new IllegalArgumentException("secret must be 16 to 100 letters, digits, '-' or '_'");
        }
        return new MaintenanceOrder(text, end, bypass);
    }

    /** The message visitors will read, trimmed, or {@code null} for the state's own words. */
    public String message() {
        return message;
    }

    /** When it ends by itself, or 0 for never. */
    public long untilMillis() {
        return untilMillis;
    }

    /** The bypass secret, or {@code null} for a random one. */
    public String secret() {
        return secret;
    }

    private static long until(String until, String minutes, long nowMillis) {
        boolean byDate = until != null && !until.isBlank();
        boolean byMinutes = minutes != null && !minutes.isBlank();
        if (byDate && byMinutes) {
            throw new IllegalArgumentException("give until or minutes, not both");
        }
        if (byMinutes) {
            try {
                long value = Long.parseLong(minutes.trim());
                if (value >= 1 && value <= MAX_MINUTES) {
                    return nowMillis + value * 60_000;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("minutes must be a whole number from 1 to " + MAX_MINUTES);
        }
        if (!byDate) {
            return 0;
        }
        long millis;
        try {
            millis = OffsetDateTime.parse(until.trim()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("until must be a date and time with offset, e.g. 2030-01-01T12:00:00Z");
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("until is too far in the future");
        }
        if (millis <= nowMillis) {
            throw new IllegalArgumentException("until is in the past");
        }
        return millis;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }
}
