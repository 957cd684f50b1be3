package dev.upgradegate.gate.install;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class InstallEndpointTest {

    private static final String INSTALL = "/install";

    @ParameterizedTest
    @ValueSource(strings = {"/shop/install/status", "/shop/install/status/"})
    void statusOfAWebapp(String path) {
        assertTrue(InstallEndpoint.isStatus(path, 5, INSTALL), path);
        assertTrue(InstallEndpoint.isStatus(new StringBuilder(path), 5, INSTALL), "any CharSequence: " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/install/status", "/install/status/"})
    void statusOfTheRootWebapp(String path) {
        assertTrue(InstallEndpoint.isStatus(path, 0, INSTALL), path);
    }

    @Test
    void statusUnderACustomInstallPath() {
        assertTrue(InstallEndpoint.isStatus("/shop/admin/upgrade/status", 5, "/admin/upgrade"));
        assertFalse(InstallEndpoint.isStatus("/shop/install/status", 5, "/admin/upgrade"));
        assertTrue(InstallEndpoint.isStatus("/my.app/x/status", 7, "/x"));
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
        assertFalse(InstallEndpoint.isStatus(path, 5, INSTALL), path);
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
        assertFalse(InstallEndpoint.isStatus(path, contextLength, INSTALL), path + " with context length " + contextLength);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/s", "/shop", "/shop/", "/shop/install/stat", "/shop/install/statu"})
    void shortPathsAreNotStatusAndNeverThrow(String path) {
        assertFalse(InstallEndpoint.isStatus(path, 5, INSTALL), "'" + path + "'");
        assertFalse(InstallEndpoint.isStatus(path, 0, INSTALL), "'" + path + "'");
        assertFalse(InstallEndpoint.isStatus(path, 40, INSTALL), "'" + path + "'");
    }

    @Test
    void everyTruncationOfAStatusPathIsNotStatus() {
        String full = "/shop/install/status/";
        for (int length = 0; length < full.length() - 1; length++) {
            assertFalse(InstallEndpoint.isStatus(full.substring(0, length), 5, INSTALL), full.substring(0, length));
        }
        assertEquals(true, InstallEndpoint.isStatus(full.substring(0, full.length() - 1), 5, INSTALL));
    }
}
