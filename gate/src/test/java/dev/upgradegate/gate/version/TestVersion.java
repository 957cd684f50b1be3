package dev.upgradegate.gate.version;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestVersion {

    private static Version v(String text) {
        return Version.parse(text);
    }

    private static void assertOlder(String older, String newer) {
        assertTrue(v(older).compareTo(v(newer)) < 0, older + " should be older than " + newer);
        assertTrue(v(newer).compareTo(v(older)) > 0, newer + " should be newer than " + older);
        assertNotEquals(v(older), v(newer));
    }

    private static void assertSame(String a, String b) {
        assertEquals(0, v(a).compareTo(v(b)), a + " should compare equal to " + b);
        assertEquals(0, v(b).compareTo(v(a)), b + " should compare equal to " + a);
        assertEquals(v(a), v(b));
        assertEquals(v(a).hashCode(), v(b).hashCode(), "equal versions " + a + " and " + b + " need equal hash codes");
    }

    @Test
    void comparesNumbersAsNumbersNotAsText() {
        assertOlder("1.9.0", "1.10.0");
        assertOlder("1.9", "1.10");
        assertOlder("2", "10");
        assertOlder("1.0.9", "1.0.10");
        assertOlder("0.9.9", "1.0.0");
    }

    @Test
    void preReleaseIsOlderThanTheRelease() {
        assertOlder("2.0.0-RC1", "2.0.0");
        assertOlder("2.0.0-rc1", "2.0.0-RC2");
        assertOlder("2.0-RC1", "2.0.0");
        assertOlder("1.9.9", "2.0.0-RC1");
        assertOlder("2.0.0-SNAPSHOT", "2.0.0");
    }

    @Test
    void trailingZerosDoNotMatter() {
        assertSame("1.0", "1.0.0");
        assertSame("1", "1.0.0.0");
        assertSame("2.0.0", "2");
        assertOlder("1.0.0", "1.0.0.1");
    }

    @ParameterizedTest
    @CsvSource({
            "1.0.0, v1.0.0",
            "1.2.3, V1.2.3",
            "1.2.3, 1.2.3+build.42",
            "1.2.3, v1.2.3+20240101",
            "1.2.3, ' 1.2.3 '",
            "2.0.0-RC1, 2.0.0-rc1",
            "2.0.0-RC1, 2.0.0.rc.1",
            "1.0, 1.0-final",
            "1.0, 1.0.0.RELEASE",
            "1.0, 1.0-GA",
            "1.0-ga, 1.0-final",
            "1.0-sp1, 1.0.0-SP1",
    })
    void equalSpellingsAreEqualWithEqualHashCodes(String a, String b) {
        assertSame(a, b);
    }

    @Test
    void qualifiersSortAlphaBetaMilestoneRcSnapshotReleaseSp() {
        List<String> expected = List.of("1.0-alpha", "1.0-alpha2", "1.0-beta", "1.0-milestone", "1.0-milestone2",
                "1.0-rc", "1.0-RC2", "1.0-SNAPSHOT", "1.0", "1.0-sp", "1.0-sp2");
        for (int i = 0; i + 1 < expected.size(); i++) {
            assertOlder(expected.get(i), expected.get(i + 1));
        }
        List<Version> shuffled = new ArrayList<>();
        for (String text : expected) {
            shuffled.add(v(text));
        }
        Collections.shuffle(shuffled, new Random(42));
        Collections.sort(shuffled);
        List<String> sorted = new ArrayList<>();
        for (Version version : shuffled) {
            sorted.add(version.toString());
        }
        assertEquals(expected, sorted);
    }

    @Test
    void servicePackIsNewerThanTheReleaseHoweverTheReleaseIsSpelt() {
        assertOlder("1.0", "1.0-sp1");
        assertOlder("1.0.0", "1.0-sp1");
        assertOlder("1", "1.0-sp1");
        assertOlder("1.0.0", "1-sp");
    }

    @Test
    void aNumberBeatsAQualifierInTheSamePlace() {
        assertOlder("1.0-sp1", "1.0.1");
        assertOlder("1-sp", "1.0.1");
        assertOlder("1.0-rc1", "1.0.1");
        assertOlder("1.0-beta", "1.1");
        assertOlder("1.0.0-SNAPSHOT", "1.0.0.1");
    }

    @Test
    void unknownQualifiersSortAfterTheRelease() {
        assertOlder("1.0", "1.0-custom");
        assertOlder("1.0-sp", "1.0-custom");
        assertOlder("1.0-custom", "1.0.1");
    }

    @Test
    void orderIsAConsistentTotalOrder() {
        List<Version> all = new ArrayList<>();
        for (String text : new String[] {"0", "0.1", "1", "1.0", "1.0.0", "1-ga", "1.0-final", "1.0.0.RELEASE",
                "1-sp", "1.0-sp", "1.0-sp1", "1.0.1", "1.0.1-rc1", "1-alpha", "1.0-alpha1", "1.0.0-beta",
                "1.0-SNAPSHOT", "1.1", "1.10", "1.9", "2.0.0-RC1", "2.0-rc1", "2", "2.0.0", "2-custom", "v2.0.0+b7"}) {
            all.add(v(text));
        }
        for (Version a : all) {
            assertEquals(0, a.compareTo(a), a + " vs itself");
            for (Version b : all) {
                assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)), a + " vs " + b);
                if (a.equals(b)) {
                    assertEquals(a.hashCode(), b.hashCode(), a + " equals " + b + " but hashes differ");
                }
                for (Version c : all) {
                    if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) {
                        assertTrue(a.compareTo(c) <= 0, "not transitive: " + a + " <= " + b + " <= " + c
                                + " but " + a + " > " + c);
                    }
                }
            }
        }
    }

    @Test
    void keepsTheTextAsWritten() {
        assertEquals("v2.0.0-RC1", v("v2.0.0-RC1").toString());
        assertEquals("1.0", v(" 1.0 ").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "abc", "1.0#", "v", "vx1", "+build", "1.0 beta", "1.0/2",
            "1234567890123456789"})
    void rejectsGarbage(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Version.parse(text));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> Version.parse(null));
    }
}
