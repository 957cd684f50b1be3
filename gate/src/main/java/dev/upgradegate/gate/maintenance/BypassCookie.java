package dev.upgradegate.gate.maintenance;

import java.security.MessageDigest;
import java.util.Base64;

import dev.upgradegate.gate.db.Maintenance;
import dev.upgradegate.gate.http.Hmac;

/**
 * The cookie that lets an administrator through while a webapp is in maintenance:
 * {@code <expiry epoch seconds>.<HMAC-SHA256 of webapp and expiry, base64url>}, keyed with the
 * maintenance's secret. It is checked against the cached maintenance only, never the database, so any
 * node sharing the database accepts a cookie another node issued.
 */
public final class BypassCookie {

    public static final String NAME = "upgradegate_bypass";
    /** Even open-ended maintenance gets a cookie that ends: a lost laptop should not keep its pass. */
    static final long MAX_SECONDS = 12 * 3600;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private BypassCookie() {
    }

    /** A fresh cookie value for {@code webapp}, ending with the maintenance or after at most 12 hours. */
    public static String issue(String webapp, Maintenance maintenance, long nowMillis) {
        long expiry = nowMillis / 1000 + MAX_SECONDS;
        if (maintenance.untilMillis() != 0) {
            expiry = Math.min(expiry, (maintenance.untilMillis() + 999) / 1000);
        }
        return expiry + "." + ENCODER.encodeToString(Hmac.sign(maintenance.key(), webapp, expiry));
    }

    /** Seconds a cookie issued now stays valid, for its Max-Age. */
    public static long maxAgeSeconds(String value, long nowMillis) {
        return Math.max(0, Long.parseLong(value.substring(0, value.indexOf('.'))) - nowMillis / 1000);
    }

    /** Whether {@code value} is a cookie this maintenance issued for {@code webapp} and it has not expired. */
    public static boolean valid(String value, String webapp, Maintenance maintenance, long nowMillis) {
        if (value == null || maintenance == null) {
            return false;
        }
        int dot = value.indexOf('.');
        if (dot <= 0 || dot > 12) {
            return false;
        }
        long expiry = 0;
        for (int i = 0; i < dot; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            expiry = expiry * 10 + (c - '0');
        }
        if (expiry * 1000 <= nowMillis) {
            return false;
        }
        byte[] presented;
        try {
            presented = DECODER.decode(value.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(presented, Hmac.sign(maintenance.key(), webapp, expiry));
    }
}
