package dev.upgradegate.gate.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The signature of the gate's self-checking values (the sign-in form, the bypass cookie): HMAC-SHA256. */
public final class Hmac {

    private static final String ALGORITHM = "HmacSHA256";

    private Hmac() {
    }

    /** Signs {@code subject} and {@code number} together; the 0 byte between them keeps the pair unambiguous. */
    public static byte[] sign(byte[] key, String subject, long number) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            mac.update(subject.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(Long.toString(number).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has " + ALGORITHM, e);
        }
    }
}
