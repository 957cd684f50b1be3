package dev.upgradegate.gate.install;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import dev.upgradegate.gate.http.Hmac;

/**
 * The sign-in form's CSRF token, kept nowhere: {@code <issued epoch seconds>.<HMAC-SHA256 of the
 * browser's nonce and that time, base64url>}, keyed with a random key of this process. The nonce
 * travels in the wizard's cookie, so a form works only in the browser that fetched it. Nothing is
 * stored until the right token signs in, so fetching the form in a loop costs no memory and evicts no
 * one's open form.
 */
final class SignInForm {

    /** Long enough to go and find the token; a restart (a new key) also ends every open form. */
    static final long MAX_AGE_SECONDS = TimeUnit.HOURS.toSeconds(1);

    private final byte[] key = new byte[32];

    SignInForm() {
        new SecureRandom().nextBytes(key);
    }

    String csrf(String nonce, long nowMillis) {
        long issued = nowMillis / 1000;
        return issued + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(Hmac.sign(key, nonce, issued));
    }

    /** Whether {@code csrf} was issued by this process for {@code nonce}, within the last hour. */
    boolean valid(String nonce, String csrf, long nowMillis) {
        if (nonce == null || csrf == null) {
            return false;
        }
        int dot = csrf.indexOf('.');
        long issued;
        byte[] presented;
        try {
            issued = Long.parseLong(csrf.substring(0, dot));
            presented = Base64.getUrlDecoder().decode(csrf.substring(dot + 1));
        } catch (RuntimeException e) {
            return false;
        }
        long age = nowMillis / 1000 - issued;
        return age >= 0 && age <= MAX_AGE_SECONDS && MessageDigest.isEqual(presented, Hmac.sign(key, nonce, issued));
    }
}
