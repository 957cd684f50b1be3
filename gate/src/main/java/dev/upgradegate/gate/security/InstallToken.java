package dev.upgradegate.gate.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import dev.upgradegate.gate.config.OwnerOnlyFile;

/**
 * The secret that opens the install endpoint. Only its digest is kept; presented tokens are compared
 * in constant time, whatever their length, and a token is never logged.
 */
public final class InstallToken {

    private final byte[] digest;

    private InstallToken(String token) {
        this.digest = sha256(token);
    }

    public static InstallToken of(String token) {
        return new InstallToken(token);
    }

    /** A fresh random token, written to {@code file} readable by its owner only. */
    public static InstallToken generate(Path file) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        OwnerOnlyFile.write(file, (token + "\n").getBytes(StandardCharsets.UTF_8));
        return new InstallToken(token);
    }

    /** Whether {@code presented} is this token. Takes the same time for every wrong token. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** The token of an {@code Authorization: Bearer ...} header, or {@code null}. */
    public static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "InstallToken[hidden]";
    }
}
