package dev.upgradegate.gate.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TestFormats {

    @Test
    void underASecondIsSaidInWords() {
        assertEquals("under a second", Formats.duration(0));
        assertEquals("under a second", Formats.duration(999));
        assertEquals("1 s", Formats.duration(1000));
        assertEquals("2 min 5 s", Formats.duration(125_000));
    }

    @Test
    void sizesGrowTheirUnit() {
        assertEquals("1023 bytes", Formats.size(1023));
        assertEquals("1.5 KiB", Formats.size(1536).replace(',', '.'));
        assertEquals("2.0 MiB", Formats.size(2 * 1024 * 1024).replace(',', '.'));
    }
}
