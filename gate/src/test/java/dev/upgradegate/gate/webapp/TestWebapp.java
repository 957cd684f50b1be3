package dev.upgradegate.gate.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tomcat's context names, which the configuration file, the logs, the CLI and every container share. */
class TestWebapp {

    @ParameterizedTest
    @CsvSource({"/shop,shop", "'',ROOT", "/a/b,a#b", "/my.app,my.app"})
    void aContextPathAndItsNameMapBothWays(String contextPath, String name) {
        assertEquals(name, Webapp.nameOf(contextPath));
        assertEquals(contextPath, Webapp.contextPathOf(name));
    }

    @Test
    void aWebappIsNamedFromItsContextPathUnlessItSaysOtherwise() {
        assertEquals("a#b", new FakeWebapp("a/b").name());
    }
}
