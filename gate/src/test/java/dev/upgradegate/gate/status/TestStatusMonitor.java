package dev.upgradegate.gate.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.config.AppSettings;
import dev.upgradegate.gate.config.GateSettings;
import dev.upgradegate.gate.db.WebappDatabase;
import dev.upgradegate.gate.webapp.Bundle;
import dev.upgradegate.gate.webapp.FakeWebapp;

/**
 * The monitor's rules, without a database: the fake webapp's bundle carries no migrations, so each check answers
 * MISCONFIGURED at once, and the executor runs the background checks only when the test says so.
 */
class TestStatusMonitor {

    private final Deque<Runnable> background = new ArrayDeque<>();
    private final Executor executor = background::addLast;
    private final AtomicReference<Status> seenByACheck = new AtomicReference<>();
    private StatusMonitor monitor;

    private StatusMonitor monitor(Map<String, String> settings) {
        GateSettings host = GateSettings.of(Path.of("upgradegate.properties"), settings);
        FakeWebapp webapp = new FakeWebapp("shop");
        AppSettings app = host.forApp("shop");
        monitor = new StatusMonitor("shop", app, Bundle.read(webapp, app),
                WebappDatabase.of(webapp, app, host.dbTimeoutSeconds()), host.refreshSeconds(),
                host.lockStaleSeconds(), executor, () -> seenByACheck.set(monitor.status()));
        return monitor;
    }

    private StatusMonitor monitor() {
        return monitor(Map.of("app.shop.jdbc.url", "jdbc:nosuchdriver://db/shop", "refresh.seconds", "1",
                "db.timeoutSeconds", "1"));
    }

    @Test
    void itIsStartingUntilTheFirstCheckPublishes() {
        StatusMonitor monitor = monitor();
        assertTrue(monitor.gated());
        monitor.start();
        assertEquals(State.STARTING, monitor.status().state());
        assertEquals(0, monitor.lastCheckMillis());
        background.removeFirst().run();
        assertTrue(monitor.awaitFirstCheck());
        assertEquals(State.MISCONFIGURED, monitor.status().state());
        assertTrue(monitor.status().reason().startsWith("shop: "), monitor.status().reason());
        assertTrue(monitor.lastCheckMillis() > 0);
    }

    @Test
    void anUngatedWebappIsNeverChecked() {
        StatusMonitor monitor = monitor(Map.of());
        monitor.start();
        assertTrue(background.isEmpty());
        assertTrue(monitor.awaitFirstCheck());
        assertEquals(State.STARTING, monitor.status().state());
    }

    /** A slower check that began earlier (a background refresh overtaken by an administrator's action) loses. */
    @Test
    void aResultOlderThanThePublishedOneIsDropped() {
        StatusMonitor monitor = monitor();
        long earlier = System.nanoTime();
        long later = earlier + 1;
        monitor.publish(Statuses.of(State.UP), later);
        monitor.publish(Statuses.of(State.DB_UNAVAILABLE), earlier);
        assertEquals(State.UP, monitor.status().state());
        monitor.publish(Statuses.of(State.UPGRADE_REQUIRED), later);
        assertEquals(State.UPGRADE_REQUIRED, monitor.status().state(), "as of the same start, the newer word wins");
    }

    @Test
    void oneCheckRunsAtATimeAndAStaleStatusStartsOne() throws InterruptedException {
        StatusMonitor monitor = monitor();
        monitor.currentStatus();
        assertTrue(background.isEmpty(), "fresh: nothing to do");
        TimeUnit.MILLISECONDS.sleep(1100);
        monitor.currentStatus();
        monitor.currentStatus();
        assertEquals(1, background.size(), "one check, however many requests ask");
    }

    /** The driver ignored its timeouts: after 2 × db.timeoutSeconds the state says so, and a new check starts. */
    @Test
    void aCheckThatOverrunsIsAbandonedAndItsResultDropped() throws InterruptedException {
        StatusMonitor monitor = monitor();
        monitor.start();
        Runnable hung = background.removeFirst();
        TimeUnit.MILLISECONDS.sleep(2100);
        monitor.currentStatus();
        Runnable next = background.removeFirst();
        next.run();
        assertEquals(State.DB_UNAVAILABLE, seenByACheck.get().state(), "published before the new check ran");
        assertEquals("the database did not answer within 2 s (db.timeoutSeconds=1)", seenByACheck.get().reason());
        Status published = monitor.status();
        assertEquals(State.MISCONFIGURED, published.state());
        hung.run();
        assertSame(published, monitor.status(), "the abandoned check's result is dropped");
        monitor.refreshNow();
        assertNotSame(published, monitor.status(), "while a check in charge publishes");
    }

    @Test
    void oneUpgradeAtATimeOnThisNode() {
        StatusMonitor monitor = monitor();
        assertTrue(monitor.upgradeStarting());
        assertFalse(monitor.upgradeStarting());
        assertTrue(monitor.upgrading());
        monitor.upgradeAbandoned();
        assertFalse(monitor.upgrading());
        assertTrue(monitor.upgradeStarting());
        monitor.upgradeEnded("the upgrade stopped");
        assertFalse(monitor.upgrading());
    }
}
