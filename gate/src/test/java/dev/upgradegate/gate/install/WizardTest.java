package dev.upgradegate.gate.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WizardTest {

    @Test
    void underASecondIsSaidInWords() {
        assertEquals("under a second", Wizard.duration(0));
        assertEquals("under a second", Wizard.duration(999));
        assertEquals("1 s", Wizard.duration(1000));
        assertEquals("2 min 5 s", Wizard.duration(125_000));
    }
}
