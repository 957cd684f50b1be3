package dev.upgradegate.gate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.management.ThreadMXBean;

import dev.upgradegate.gate.maintenance.IgnoredPaths;

/** The install endpoint's status resource, as the gate finds it on every request. */
class TestPathMatch {

    private static final String INSTALL = "/install";

    private static boolean isStatus(CharSequence path, int contextPathLength, String installPath) {
        int at = PathMatch.below(path, contextPathLength, installPath);
        return at >= 0 && PathMatch.isExactly(path, at, "/status");
    }

    @ParameterizedTest
    @CsvSource({"/healthz,/healthz,true", "/healthz/,/healthz,false", "/health,/healthz,false", "'',/healthz,false"})
    void wholePath(String path, String expected, boolean equal) {
        assertEquals(equal, PathMatch.equals(new StringBuilder(path), expected), path);
    }

    /** The pass path's matching, the install path's and the ignore patterns', allocates nothing. */
    @Test
    void matchingAllocatesNothing() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        IgnoredPaths ignored = IgnoredPaths.of(List.of("/static/**", "/*.css", "/healthz"), INSTALL);
        StringBuilder[] paths = {new StringBuilder("/shop/install/status/"), new StringBuilder("/shop/static/a/b.js"),
                new StringBuilder("/shop/install/maintenance"), new StringBuilder("/shop/products/42")};
        int matched = 0;
        for (int round = 0; round < 2; round++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                StringBuilder path = paths[i & 3];
                int at = PathMatch.below(path, 5, INSTALL);
                matched += at >= 0 && PathMatch.isExactly(path, at, "/status") ? 1 : 0;
                matched += at >= 0 && PathMatch.below(path, at, "/maintenance") >= 0 ? 1 : 0;
                matched += ignored.matches(path, 5) ? 1 : 0;
                matched += PathMatch.equals(path, "/healthz") ? 1 : 0;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            // The first round warms up; the second must be clean.
            if (round == 1) {
                assertEquals(0, allocated, "bytes allocated by 100000 matches");
            }
        }
        assertEquals(2 * 75_000, matched);
    }

    @ParameterizedTest
    @CsvSource({"/status/,/status", "/status,/status", "/,/", "'',''", "/bypass/abc/,/bypass/abc"})
    void aResourceIsNamedWithoutItsTrailingSlash(String rest, String resource) {
        assertEquals(resource, PathMatch.resource(rest));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/shop/install/status", "/shop/install/status/"})
    void statusOfAWebapp(String path) {
        assertTrue(isStatus(path, 5, INSTALL), path);
        assertTrue(isStatus(new StringBuilder(path), 5, INSTALL), "any CharSequence: " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/install/status", "/install/status/"})
    void statusOfTheRootWebapp(String path) {
        assertTrue(isStatus(path, 0, INSTALL), path);
    }

    @Test
    void statusUnderACustomInstallPath() {
        assertTrue(isStatus("/shop/admin/upgrade/status", 5, "/admin/upgrade"));
        assertFalse(isStatus("/shop/install/status", 5, "/admin/upgrade"));
        assertTrue(isStatus("/my.app/x/status", 7, "/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/shop/install/statusx",
            "/shop/install/status//",
            "/shop/install/status/x",
            "/shop/install/statu",
            "/shop/install/Status",
            "/shop/install",
            "/shop/install/",
            "/shop/installstatus",
            "/shop/install/upgrade",
            "/shop/installx/status",
            "/shop/status",
            "/shop/x/install/status",
            "/shop2/install/status",
            "/shopping/install/status",
            "/shop/INSTALL/status",
            "/shop//install/status",
    })
    void otherPathsOfTheWebappAreNotStatus(String path) {
        assertFalse(isStatus(path, 5, INSTALL), path);
    }

    @ParameterizedTest
    @CsvSource({
            "/install/status, 5",
            "/shop/install/status, 0",
            "/shop/install/status, 6",
            "/shop/install/status, 4",
            "/blog/shop/install/status, 5",
    })
    void theContextLengthDecidesWhereTheInstallPathStarts(String path, int contextLength) {
        assertFalse(isStatus(path, contextLength, INSTALL), path + " with context length " + contextLength);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/s", "/shop", "/shop/", "/shop/install/stat", "/shop/install/statu"})
    void shortPathsAreNotStatusAndNeverThrow(String path) {
        assertFalse(isStatus(path, 5, INSTALL), "'" + path + "'");
        assertFalse(isStatus(path, 0, INSTALL), "'" + path + "'");
        assertFalse(isStatus(path, 40, INSTALL), "'" + path + "'");
    }

    @Test
    void everyTruncationOfAStatusPathIsNotStatus() {
        String full = "/shop/install/status/";
        for (int length = 0; length < full.length() - 1; length++) {
            assertFalse(isStatus(full.substring(0, length), 5, INSTALL), full.substring(0, length));
        }
        assertEquals(true, isStatus(full.substring(0, full.length() - 1), 5, INSTALL));
    }
}
