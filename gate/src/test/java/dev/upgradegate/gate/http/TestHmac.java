package dev.upgradegate.gate.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class TestHmac {

    private static final byte[] KEY = "a key of the process".getBytes(StandardCharsets.UTF_8);

    /** Cookies and forms issued before this class existed must still check: the bytes signed are unchanged. */
    @Test
    void signsSubjectThenAZeroByteThenTheNumberInDecimal() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        byte[] expected = mac.doFinal("shop\u00001800000000".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(expected, Hmac.sign(KEY, "shop", 1_800_000_000L));
    }

    @Test
    void theSeparatorKeepsSubjectAndNumberApart() {
        assertFalse(MessageDigest.isEqual(Hmac.sign(KEY, "shop1", 2), Hmac.sign(KEY, "shop", 12)));
        assertFalse(MessageDigest.isEqual(Hmac.sign(KEY, "shop", 2), Hmac.sign("another key".getBytes(
                StandardCharsets.UTF_8), "shop", 2)));
    }
}
