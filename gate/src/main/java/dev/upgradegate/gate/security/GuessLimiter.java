package dev.upgradegate.gate.security;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import dev.upgradegate.gate.config.AddressRange;

/**
 * Wrong secrets per sliding minute, for every secret UpgradeGate checks (the install token on the API
 * and in the wizard, the bypass URL), host-wide. Each check first reserves an attempt, counted as a
 * failure, and only then compares: concurrent guesses cannot race past the limit. The right secret
 * gives its attempt back and forgives the address. Not on the hot path: only requests that present a
 * secret get here.
 *
 * <p>Past the per-address limit the address waits. Past the global ceiling every address that has
 * failed in the last minute waits, and any other address gets one attempt: the administrator's right
 * token still works during an attack, and a botnet gets the ceiling plus one guess per address it owns
 * (an IPv6 /64 counts as one address), with at most {@link #MAX_CLIENTS} addresses tracked; while that
 * many have failed in the minute, a new address waits too.
 */
public final class GuessLimiter {

    private static final Logger LOG = Logger.getLogger("dev.upgradegate");

    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** Addresses tracked at most: bounds memory, and the guesses a botnet gets past the global ceiling. */
    static final int MAX_CLIENTS = 10_000;

    private final int perClient;
    private final int global;
    private final LongSupplier clock;
    private final Map<String, Client> clients = new HashMap<>();
    /** Every failure (and reserved attempt) of the last minute, oldest first. */
    private final Deque<Long> failures = new ArrayDeque<>();
    private long ceilingLoggedAt;
    private boolean ceilingLogged;

    public GuessLimiter(int perClient, int global) {
        this(perClient, global, System::nanoTime);
    }

    GuessLimiter(int perClient, int global, LongSupplier clock) {
        this.perClient = perClient;
        this.global = global;
        this.clock = clock;
    }

    /** What one check came to. */
    public static final class Verdict {
        private final boolean right;
        private final long retryAfterSeconds;

        private Verdict(boolean right, long retryAfterSeconds) {
            this.right = right;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        /** Whether the secret was compared and right. */
        public boolean right() {
            return right;
        }

        /** Seconds the client must wait before trying again, or 0 when the secret was compared. */
        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    /**
     * Compares a secret under the limits: reserves an attempt for {@code client}, or refuses it with the
     * seconds to wait; then asks {@code right} and settles the attempt.
     *
     * @param where the path guessed at, with no secret in it (e.g. {@code /shop/install/bypass/…}), for the log
     */
    public Verdict check(String client, String where, BooleanSupplier right) {
        String key = key(client);
        long reserved = reserve(key);
        if (reserved < 0) {
            return new Verdict(false, -reserved);
        }
        if (right.getAsBoolean()) {
            succeeded(key, reserved);
            return new Verdict(true, 0);
        }
        failed(key, where);
        return new Verdict(false, 0);
    }

    /** @return the reservation's time, or minus the seconds to wait */
    private synchronized long reserve(String key) {
        long now = clock.getAsLong();
        expire(failures, now);
        Client known = clients.get(key);
        int failed = known == null ? 0 : known.recent(now);
        long wait = 0;
        if (failed >= perClient) {
            wait = known.times.peekFirst() + WINDOW_NANOS - now;
        } else if (failed > 0 && failures.size() >= global) {
            wait = known.times.peekLast() + WINDOW_NANOS - now;
        } else if (known == null && clients.size() >= MAX_CLIENTS && !forgetStale(now)) {
            wait = WINDOW_NANOS;
        }
        if (wait > 0) {
            return -Math.max(1, TimeUnit.NANOSECONDS.toSeconds(wait) + 1);
        }
        clients.computeIfAbsent(key, k -> new Client()).times.addLast(now);
        failures.addLast(now);
        return now;
    }

    /** The right secret gives its attempt back and forgives the address. */
    private synchronized void succeeded(String key, long reserved) {
        clients.remove(key);
        failures.removeLastOccurrence(reserved);
    }

    /** A wrong secret's attempt stays counted; the log gets at most one line per address per minute. */
    private synchronized void failed(String key, String where) {
        long now = clock.getAsLong();
        Client client = clients.get(key);
        if (client != null && (!client.logged || now - client.loggedAt >= WINDOW_NANOS)) {
            client.logged = true;
            client.loggedAt = now;
            int count = client.recent(now);
            LOG.warning(() -> "wrong secret from " + key + " on " + where + ": " + count
                    + " failed in the last minute (limit " + perClient + ")");
        }
        if (failures.size() >= global && (!ceilingLogged || now - ceilingLoggedAt >= WINDOW_NANOS)) {
            ceilingLogged = true;
            ceilingLoggedAt = now;
            int count = failures.size();
            int addresses = clients.size();
            LOG.warning(() -> count + " wrong secrets in the last minute, from " + addresses
                    + " addresses: the global ceiling of " + global + " is reached; until it clears, an address"
                    + " that has failed waits and any other gets one attempt");
        }
    }

    /**
     * The address a limit keys on: the address itself, or for IPv6 its /64, which one subscriber
     * commonly holds whole.
     */
    static String key(String client) {
        if (client == null || client.indexOf(':') < 0) {
            return String.valueOf(client);
        }
        byte[] bytes = AddressRange.bytes(client);
        if (bytes == null || bytes.length != 16) {
            return client;
        }
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString((bytes[i] & 0xff) << 8 | bytes[i + 1] & 0xff)).append(':');
        }
        return prefix.append(":/64").toString();
    }

    /** @return whether there is room for a new address now */
    private boolean forgetStale(long now) {
        for (Iterator<Client> it = clients.values().iterator(); it.hasNext(); ) {
            if (it.next().recent(now) == 0) {
                it.remove();
            }
        }
        return clients.size() < MAX_CLIENTS;
    }

    private static void expire(Deque<Long> times, long now) {
        while (!times.isEmpty() && now - times.peekFirst() >= WINDOW_NANOS) {
            times.removeFirst();
        }
    }

    private static final class Client {
        final Deque<Long> times = new ArrayDeque<>();
        long loggedAt;
        boolean logged;

        int recent(long now) {
            expire(times, now);
            return times.size();
        }
    }
}
