package dev.upgradegate.gate.install;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TestSignInForm {

    private static final String NONCE = "n0nce-of-the-administrators-browser-0123456";
    private static final long NOW = 1_800_000_000_000L;

    private final SignInForm form = new SignInForm();

    @Test
    void aFormIsValidForTheBrowserThatFetchedItForAnHour() {
        String csrf = form.csrf(NONCE, NOW);
        assertTrue(form.valid(NONCE, csrf, NOW));
        assertTrue(form.valid(NONCE, csrf, NOW + SignInForm.MAX_AGE_SECONDS * 1000));
        assertFalse(form.valid(NONCE, csrf, NOW + SignInForm.MAX_AGE_SECONDS * 1000 + 1000), "expired");
        assertFalse(form.valid(NONCE, csrf, NOW - 1000), "issued in the future");
    }

    @Test
    void aFormIsBoundToItsNonceAndToThisProcess() {
        String csrf = form.csrf(NONCE, NOW);
        assertFalse(form.valid("another-browsers-nonce-000000000000000000000", csrf, NOW));
        assertFalse(form.valid(null, csrf, NOW));
        assertFalse(new SignInForm().valid(NONCE, csrf, NOW), "another process's key (a restart) ends every form");
    }

    @Test
    void aFormCannotBeMovedInTime() {
        String csrf = form.csrf(NONCE, NOW);
        String mac = csrf.substring(csrf.indexOf('.'));
        assertFalse(form.valid(NONCE, (NOW / 1000 + 60) + mac, NOW + 60_000), "the time is signed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "x", "1800000000", "1800000000.", "1800000000.!!", "abc.def", ".AAAA",
            "99999999999999999999.AAAA", "1800000000.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void malformedOrForgedTokensAreRefusedWithoutThrowing(String csrf) {
        assertFalse(form.valid(NONCE, csrf, NOW), csrf);
    }
}
