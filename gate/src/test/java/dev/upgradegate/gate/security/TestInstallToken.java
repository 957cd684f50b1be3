package dev.upgradegate.gate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestInstallToken {

    private static final String TOKEN = "s3cr3t-Token-0123456789";

    @TempDir
    Path dir;

    @Test
    void matchesTheRightToken() {
        assertTrue(InstallToken.of(TOKEN).matches(TOKEN));
        assertTrue(InstallToken.of(TOKEN).matches(new String(TOKEN.toCharArray())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "wrong", "s3cr3t-Token-012345678", "s3cr3t-Token-01234567890",
            "S3CR3T-TOKEN-0123456789", " s3cr3t-Token-0123456789", "s3cr3t-Token-0123456789 ", "s3cr3t", "s"})
    void refusesEveryOtherToken(String presented) {
        assertFalse(InstallToken.of(TOKEN).matches(presented), "'" + presented + "'");
    }

    @Test
    void refusesNull() {
        assertFalse(InstallToken.of(TOKEN).matches(null));
    }

    @Test
    void refusesPrefixesAndExtensionsOfEveryLength() {
        InstallToken token = InstallToken.of(TOKEN);
        for (int i = 0; i < TOKEN.length(); i++) {
            assertFalse(token.matches(TOKEN.substring(0, i)), "prefix of length " + i);
        }
        assertFalse(token.matches(TOKEN + "x"));
        assertFalse(token.matches(TOKEN + TOKEN));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Bearer abc | abc",
            "bearer abc | abc",
            "BEARER abc | abc",
            "BeArEr abc | abc",
            "Bearer   abc   | abc",
            "Bearer a.b-c_d~e+f/g= | a.b-c_d~e+f/g=",
    })
    void bearerTakesTheTokenWhateverTheSchemeCase(String header, String token) {
        assertEquals(token, InstallToken.bearer(header));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearerabc", "Basic dXNlcjpwYXNzd29yZA==", "Digest username=x",
            "abc", "Token abc", " Bearer", "Bear abc"})
    void bearerIsNullWithoutABearerToken(String header) {
        assertNull(InstallToken.bearer(header), "'" + header + "'");
    }

    @Test
    void bearerOfAMissingHeaderIsNull() {
        assertNull(InstallToken.bearer(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer    ", "Bearer \t", "Basic " + TOKEN, TOKEN, "Bearer" + TOKEN})
    void noMalformedHeaderOpensTheEndpoint(String header) {
        assertFalse(InstallToken.of(TOKEN).matches(InstallToken.bearer(header)), header);
        assertTrue(InstallToken.of(TOKEN).matches(InstallToken.bearer("Bearer " + TOKEN)));
    }

    @Test
    void generateWritesTheTokenReadableByItsOwnerOnly() throws IOException {
        Path file = dir.resolve("conf/upgradegate-install.token");
        InstallToken token = InstallToken.generate(file);
        assertTrue(Files.isRegularFile(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String written = Files.readString(file, StandardCharsets.UTF_8).trim();
        assertTrue(written.length() >= 16, "a token long enough to guess never: " + written.length());
        assertTrue(written.matches("[A-Za-z0-9_-]+"), "URL-safe, easy to paste into a header: " + written);
        assertTrue(token.matches(written));
        assertTrue(token.matches(InstallToken.bearer("Bearer " + written)));
        assertFalse(token.toString().contains(written), token.toString());
    }

    @Test
    void generateReplacesAWorldReadableFileWithAnOwnerOnlyOne() throws IOException {
        Path file = dir.resolve("upgradegate-install.token");
        Files.writeString(file, "old token that was readable by everyone, much longer than a new one\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        InstallToken token = InstallToken.generate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String written = Files.readString(file).trim();
        assertFalse(written.contains("old token"), written);
        assertTrue(token.matches(written));
        assertFalse(token.matches("old token that was readable by everyone, much longer than a new one"));
    }

    @Test
    void everyGeneratedTokenIsDifferent() throws IOException {
        InstallToken.generate(dir.resolve("a"));
        InstallToken.generate(dir.resolve("b"));
        String a = Files.readString(dir.resolve("a")).trim();
        String b = Files.readString(dir.resolve("b")).trim();
        assertNotEquals(a, b);
        assertFalse(InstallToken.of(a).matches(b));
    }

    @Test
    void toStringHidesTheToken() {
        String text = InstallToken.of(TOKEN).toString();
        assertFalse(text.contains(TOKEN), text);
        assertFalse(text.contains("s3cr3t"), text);
        assertFalse(text.contains("0123456789"), text);
    }
}
