package dev.upgradegate.gate.db;

import java.nio.charset.StandardCharsets;

/**
 * Maintenance an administrator turned on for one webapp, as stored in its database so that every node
 * sees it. Immutable. The secret opens the bypass URL and keys the bypass cookie's signature; each time
 * maintenance is turned on it is new, so cookies of an earlier maintenance no longer pass.
 */
public final class Maintenance {

    private final String message;
    private final long untilMillis;
    private final String secret;
    private final String setBy;
    private final long setAtMillis;
    private final byte[] key;

    public Maintenance(String message, long untilMillis, String secret, String setBy, long setAtMillis) {
        this.message = message;
        this.untilMillis = untilMillis;
        this.secret = secret;
        this.setBy = setBy;
        this.setAtMillis = setAtMillis;
        this.key = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** What visitors are told, or {@code null} for the state's own words. */
    public String message() {
        return message;
    }

    /** When it ends by itself, in epoch milliseconds; 0 when it lasts until turned off. */
    public long untilMillis() {
        return untilMillis;
    }

    public String secret() {
        return secret;
    }

    public String setBy() {
        return setBy;
    }

    public long setAtMillis() {
        return setAtMillis;
    }

    public byte[] key() {
        return key;
    }

    public boolean activeAt(long nowMillis) {
        return untilMillis == 0 || nowMillis < untilMillis;
    }

    /** Seconds until the end, at least 1; {@code fallback} when there is no end time. */
    public int retryAfterSeconds(long nowMillis, int fallback) {
        if (untilMillis == 0) {
            return fallback;
        }
        long seconds = (untilMillis - nowMillis + 999) / 1000;
        return (int) Math.max(1, Math.min(seconds, 86_400));
    }
}
