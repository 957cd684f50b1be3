package dev.upgradegate.gate.install;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Failed sign-ins per client address in a sliding minute; beyond the limit the address waits. */
final class SignInLimiter {

    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Addresses tracked at most; beyond, the stalest are forgotten. */
    static final int MAX_CLIENTS = 10_000;

    private final int limit;
    private final Map<String, Deque<Long>> failures = new HashMap<>();

    SignInLimiter(int limit) {
        this.limit = limit;
    }

    /** Seconds {@code client} must wait before trying again, or 0 when it may try now. */
    synchronized long retryAfterSeconds(String client) {
        Deque<Long> times = recent(client, System.nanoTime());
        if (times == null || times.size() < limit) {
            return 0;
        }
        long wait = times.peekFirst() + WINDOW_NANOS - System.nanoTime();
        return Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1);
    }

    synchronized void failed(String client) {
        long now = System.nanoTime();
        if (failures.size() >= MAX_CLIENTS && !failures.containsKey(client)) {
            forgetStale(now);
        }
        failures.computeIfAbsent(client, c -> new ArrayDeque<>()).addLast(now);
    }

    synchronized void succeeded(String client) {
        failures.remove(client);
    }

    private Deque<Long> recent(String client, long now) {
        Deque<Long> times = failures.get(client);
        if (times != null) {
            while (!times.isEmpty() && now - times.peekFirst() > WINDOW_NANOS) {
                times.removeFirst();
            }
        }
        return times;
    }

    private void forgetStale(long now) {
        for (Iterator<Map.Entry<String, Deque<Long>>> it = failures.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Deque<Long>> entry = it.next();
            if (recent(entry.getKey(), now).isEmpty()) {
                it.remove();
            }
        }
        if (failures.size() >= MAX_CLIENTS) {
            failures.clear();
        }
    }
}
