package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestServerTether {

    @Test
    void removesOnlyInstanceDirectoriesWhoseJvmIsGone(@TempDir Path parent) throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();

        Path abandoned = instance(parent, "upgradegate-mariadb-1", finished.pid());
        Path inUse = instance(parent, "upgradegate-mariadb-2", ProcessHandle.current().pid());
        Path beingSetUp = Files.createDirectory(parent.resolve("upgradegate-mariadb-3"));
        Path cache = Files.createDirectory(parent.resolve("upgradegate-mariadb-11.4.5"));

        ServerTether.removeAbandoned(parent, "upgradegate-mariadb-");

        assertFalse(Files.exists(abandoned));
        assertTrue(Files.exists(inUse));
        assertTrue(Files.exists(beingSetUp));
        assertTrue(Files.exists(cache));
    }

    private static Path instance(Path parent, String name, long jvmPid) throws Exception {
        Path dir = Files.createDirectories(parent.resolve(name).resolve("data"));
        Files.writeString(dir.resolve("ibdata1"), "x");
        Files.writeString(parent.resolve(name).resolve(ServerTether.SCRIPT_NAME), "#!/bin/sh\njvm=" + jvmPid + "\n");
        return parent.resolve(name);
    }
}
