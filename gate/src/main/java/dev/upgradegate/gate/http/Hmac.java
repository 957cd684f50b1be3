package dev.upgradegate.gate.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 of a text and a number: what the gate signs for a browser (the bypass cookie, the sign-in form). */
public final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {
    }

    /** The NUL between them keeps ("a1", 2) and ("a", 12) apart. */
    public static byte[] sign(byte[] key, String text, long number) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(text.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(Long.toString(number).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }
}
