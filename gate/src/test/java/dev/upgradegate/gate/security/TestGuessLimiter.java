package dev.upgradegate.gate.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

class TestGuessLimiter {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    private GuessLimiter limiter(int perClient, int global) {
        return new GuessLimiter(perClient, global, now::get);
    }

    private static GuessLimiter.Verdict wrong(GuessLimiter limiter, String client) {
        return limiter.check(client, "/shop/install/upgrade", () -> false);
    }

    private static GuessLimiter.Verdict right(GuessLimiter limiter, String client) {
        return limiter.check(client, "/shop/install/upgrade", () -> true);
    }

    private void advanceSeconds(long seconds) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
    }

    @Test
    void anAddressGetsItsLimitOfWrongSecretsPerSlidingMinute() {
        GuessLimiter limiter = limiter(5, 100);
        for (int i = 1; i <= 5; i++) {
            GuessLimiter.Verdict verdict = wrong(limiter, "198.51.100.7");
            assertEquals(0, verdict.retryAfterSeconds(), "attempt " + i);
            assertFalse(verdict.right());
            advanceSeconds(10);
        }
        GuessLimiter.Verdict sixth = wrong(limiter, "198.51.100.7");
        assertEquals(11, sixth.retryAfterSeconds(), "the first failure, 50 s old, ages out in 10 s");
        assertEquals(11, right(limiter, "198.51.100.7").retryAfterSeconds(), "even the right secret waits: not compared");
        advanceSeconds(10);
        assertEquals(0, wrong(limiter, "198.51.100.7").retryAfterSeconds(), "sliding: one aged out, one more try");
        assertTrue(wrong(limiter, "198.51.100.7").retryAfterSeconds() > 0);
        assertTrue(right(limiter, "198.51.100.8").right(), "another address is not affected");
    }

    @Test
    void theRightSecretIsNotCountedAndForgivesTheAddress() {
        GuessLimiter limiter = limiter(3, 100);
        wrong(limiter, "10.0.0.1");
        wrong(limiter, "10.0.0.1");
        for (int i = 0; i < 10; i++) {
            assertTrue(right(limiter, "10.0.0.1").right(), "right secrets never use up the allowance");
        }
        for (int i = 0; i < 3; i++) {
            assertEquals(0, wrong(limiter, "10.0.0.1").retryAfterSeconds(), "forgiven: a full allowance again");
        }
        assertTrue(wrong(limiter, "10.0.0.1").retryAfterSeconds() > 0);
    }

    @Test
    void pastTheGlobalCeilingOnlyAddressesThatHaveNotFailedMayTryOnce() {
        GuessLimiter limiter = limiter(5, 20);
        for (int bot = 0; bot < 10; bot++) {
            wrong(limiter, "203.0.113." + bot);
            wrong(limiter, "203.0.113." + bot);
        }
        assertTrue(wrong(limiter, "203.0.113.1").retryAfterSeconds() > 0,
                "20 failures in the minute: an address that failed waits, though under its own limit");
        assertTrue(right(limiter, "203.0.113.2").retryAfterSeconds() > 0, "without being compared");
        assertTrue(right(limiter, "192.0.2.1").right(), "the administrator's address, which never failed, signs in");
        assertEquals(0, wrong(limiter, "203.0.113.200").retryAfterSeconds(), "a new address gets one attempt");
        assertTrue(wrong(limiter, "203.0.113.200").retryAfterSeconds() > 0, "and only one");
        advanceSeconds(60);
        assertEquals(0, wrong(limiter, "203.0.113.1").retryAfterSeconds(), "a minute later the ceiling has cleared");
    }

    @Test
    void aBotnetGetsAtMostTheCeilingPlusOneGuessPerAddressAMinute() {
        assertEquals(1000, botnet(true), "round by round: each of the 1,000 bots gets one guess, then none");
        assertEquals(20 * 5 + 980, botnet(false),
                "bot by bot: the first 20 get 5 each up to the ceiling of 100, every other bot one");
    }

    /** 1,000 addresses, five wrong guesses each, under a ceiling of 100: how many were compared. */
    private int botnet(boolean roundByRound) {
        GuessLimiter limiter = limiter(5, 100);
        AtomicInteger compared = new AtomicInteger();
        for (int i = 0; i < 5000; i++) {
            int bot = roundByRound ? i % 1000 : i / 5;
            limiter.check("10.1." + bot / 250 + "." + bot % 250, "/x", () -> compared.incrementAndGet() < 0);
        }
        return compared.get();
    }

    @Test
    void concurrentChecksCannotRacePastTheLimit() throws Exception {
        GuessLimiter limiter = new GuessLimiter(5, 100);
        int threads = 50;
        CountDownLatch comparing = new CountDownLatch(1);
        AtomicInteger compared = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<GuessLimiter.Verdict>> verdicts = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                verdicts.add(pool.submit(() -> limiter.check("198.51.100.9", "/shop/install/signin", () -> {
                    compared.incrementAndGet();
                    try {
                        comparing.await(200, TimeUnit.MILLISECONDS); // every comparison in flight at once
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return false;
                })));
            }
            int limited = 0;
            for (Future<GuessLimiter.Verdict> verdict : verdicts) {
                limited += verdict.get(10, TimeUnit.SECONDS).retryAfterSeconds() > 0 ? 1 : 0;
            }
            assertEquals(5, compared.get(), "only the limit's worth was ever compared");
            assertEquals(threads - 5, limited);
        } finally {
            comparing.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() {
        GuessLimiter limiter = limiter(2, 100);
        wrong(limiter, "2001:db8:1:2::1");
        wrong(limiter, "2001:db8:1:2:ffff::9");
        assertTrue(wrong(limiter, "[2001:db8:1:2::abcd]").retryAfterSeconds() > 0, "the same /64");
        assertEquals(0, wrong(limiter, "2001:db8:1:3::1").retryAfterSeconds(), "the next /64 is another client");
        assertEquals("2001:db8:1:2::/64", GuessLimiter.key("2001:0db8:0001:0002:0:0:0:1"));
        assertEquals("192.0.2.1", GuessLimiter.key("192.0.2.1"));
    }

    @Test
    void logsOneLinePerAddressPerMinuteWithPathAndCountNeverTheSecret() {
        GuessLimiter limiter = limiter(5, 100);
        List<String> lines = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger("dev.upgradegate");
        log.addHandler(handler);
        try {
            for (int i = 0; i < 4; i++) {
                limiter.check("198.51.100.7", "/shop/install/upgrade", () -> "guess-secret".isEmpty());
                limiter.check("198.51.100.8", "/shop/install/signin", () -> false);
            }
            advanceSeconds(61);
            limiter.check("198.51.100.7", "/shop/install/status", () -> false);
        } finally {
            log.removeHandler(handler);
        }
        assertEquals(List.of(
                "wrong secret from 198.51.100.7 on /shop/install/upgrade: 1 failed in the last minute (limit 5)",
                "wrong secret from 198.51.100.8 on /shop/install/signin: 1 failed in the last minute (limit 5)",
                "wrong secret from 198.51.100.7 on /shop/install/status: 1 failed in the last minute (limit 5)"),
                lines);
    }
}
