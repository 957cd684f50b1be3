package dev.upgradegate.gate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** docs/configuration.md is the user's reference: its table must list exactly the keys the code knows. */
class TestConfigurationReference {

    private static final String REFERENCE = "docs/configuration.md";
    private static final Pattern ROW = Pattern.compile("^\\| `([a-zA-Z.]+)` \\| ([^|]+) \\| (yes|no) \\| (.+) \\|$");

    private static Map<String, String[]> table() throws Exception {
        String reference = Files.readString(Path.of("..").resolve(REFERENCE));
        int start = reference.indexOf("\n## Keys\n");
        assertTrue(start >= 0, REFERENCE + " has a section \"## Keys\"");
        int end = reference.indexOf("\n## ", start + 1);
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String line : reference.substring(start, end < 0 ? reference.length() : end).split("\n")) {
            Matcher row = ROW.matcher(line.trim());
            if (row.matches()) {
                rows.put(row.group(1), new String[] {row.group(2).replace("`", ""), row.group(3), row.group(4)});
            }
        }
        return rows;
    }

    @Test
    void everySettingIsDocumentedWithItsDefaultAndScope() throws Exception {
        Map<String, String[]> rows = table();
        for (Setting setting : Setting.values()) {
            String[] row = rows.get(setting.key());
            assertNotNull(row, REFERENCE + " lacks " + setting.key());
            assertEquals(setting.perWebapp() ? "yes" : "no", row[1], setting.key() + ": per webapp");
            String documented = row[0];
            if (setting.documentedDefault() == null) {
                assertTrue(documented.startsWith("none"),
                        setting.key() + " has no default, " + REFERENCE + " says " + documented);
            } else {
                assertTrue(documented.contains(setting.documentedDefault().replace("`", "")),
                        setting.key() + " defaults to " + setting.documentedDefault() + ", " + REFERENCE + " says "
                                + documented);
            }
        }
    }

    @Test
    void everyNumbersRangeIsDocumented() throws Exception {
        Map<String, String[]> rows = table();
        for (Setting setting : Setting.values()) {
            if (setting.type() == SettingType.NUMBER) {
                String meaning = rows.get(setting.key())[2].replace(",", "").replace('\u2013', '-');
                String range = "(" + setting.min() + "-" + setting.max() + ")";
                assertTrue(meaning.contains(range), setting.key() + ": " + REFERENCE + " should say " + range);
            }
        }
    }

    @Test
    void everyOldSpellingIsDocumentedWithItsNewKey() throws Exception {
        String reference = Files.readString(Path.of("..").resolve(REFERENCE));
        for (Setting setting : Setting.values()) {
            if (setting.oldKey() != null) {
                assertTrue(reference.contains("| `" + setting.oldKey() + "` | `" + setting.key() + "` |"),
                        REFERENCE + " lists " + setting.oldKey() + " as the old spelling of " + setting.key());
            }
        }
    }

    /** The shipped sample shows host-wide defaults as commented lines: they must be the defaults. */
    @Test
    void theSampleConfigurationShowsTheDefaults() throws Exception {
        Path sample = Path.of("..").resolve("distribution/src/conf/upgradegate.properties");
        int shown = 0;
        for (String line : Files.readAllLines(sample)) {
            Matcher commented = Pattern.compile("^#([a-zA-Z.]+)=(.*)$").matcher(line);
            Setting setting = commented.matches() ? Setting.byKey(commented.group(1)) : null;
            if (setting != null && setting.defaultValue() != null) {
                assertEquals(setting.defaultValue(), commented.group(2), sample + ": " + line);
                shown++;
            }
        }
        assertTrue(shown >= 3, sample + " shows the install path, refresh and Retry-After defaults");
    }

    @Test
    void noUnknownKeyIsDocumented() throws Exception {
        for (String key : table().keySet()) {
            assertNotNull(Setting.byKey(key), REFERENCE + " documents " + key + ", which the code does not know");
        }
    }
}
