package dev.upgradegate.gate.db;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/** Bypass secrets: random by default, or the administrator's own if it is long enough and URL-safe. */
public final class Secrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9_-]{16,100}");

    private Secrets() {
    }

    public static String generate() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static boolean acceptable(String secret) {
        return ACCEPTABLE.matcher(secret).matches();
    }
}
