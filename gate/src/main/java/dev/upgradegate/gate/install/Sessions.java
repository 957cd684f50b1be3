package dev.upgradegate.gate.install;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.upgradegate.gate.http.Exchange;

/**
 * The wizard's sessions, in memory: a restart signs everyone out, which is what an upgrade tool wants.
 * The cookie is scoped to the install path, HttpOnly, SameSite=Strict, and Secure on secure requests.
 */
final class Sessions {

    static final String COOKIE = "upgradegate_install";
    static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(30);
    static final long MAX_AGE_NANOS = TimeUnit.HOURS.toNanos(8);
    /** Sessions are made only by signing in with the token; this bounds memory should one sign in in a loop. */
    static final int MAX_SESSIONS = 1000;
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    /** The request's live session, or {@code null}. */
    Session find(Exchange exchange) {
        String id = exchange.cookie(COOKIE);
        if (id == null) {
            return null;
        }
        Session session = sessions.get(id);
        if (session == null) {
            return null;
        }
        long now = System.nanoTime();
        if (expired(session, now)) {
            sessions.remove(id);
            return null;
        }
        session.seenNanos = now;
        return session;
    }

    private static boolean expired(Session session, long now) {
        return now - session.seenNanos > IDLE_NANOS || now - session.createdNanos > MAX_AGE_NANOS;
    }

    /** A new, signed-in session, its cookie set on the response; {@code null} when the store is full of live ones. */
    Session create(Exchange exchange, String cookiePath) {
        if (sessions.size() >= MAX_SESSIONS) {
            purge();
            if (sessions.size() >= MAX_SESSIONS) {
                return null;
            }
        }
        Session session = new Session(token(), token());
        sessions.put(session.id, session);
        setCookie(exchange, session.id, cookiePath);
        return session;
    }

    /**
     * The nonce an anonymous browser's sign-in form is bound to: the cookie's value when it has one (a
     * second tab keeps the first tab's form valid), else a new one set in the cookie. The same cookie
     * later holds the session id, a fresh one, so an id seen before signing in is worthless after.
     */
    String nonce(Exchange exchange, String cookiePath) {
        String cookie = exchange.cookie(COOKIE);
        if (cookie != null && TOKEN.matcher(cookie).matches()) {
            return cookie;
        }
        String nonce = token();
        setCookie(exchange, nonce, cookiePath);
        return nonce;
    }

    private static void setCookie(Exchange exchange, String value, String cookiePath) {
        exchange.header("Set-Cookie", COOKIE + "=" + value + "; Path=" + cookiePath
                + "; HttpOnly; SameSite=Strict" + (exchange.secure() ? "; Secure" : ""));
    }

    void end(Exchange exchange, Session session, String cookiePath) {
        sessions.remove(session.id);
        exchange.header("Set-Cookie", COOKIE + "=; Path=" + cookiePath + "; Max-Age=0; HttpOnly; SameSite=Strict"
                + (exchange.secure() ? "; Secure" : ""));
    }

    private void purge() {
        long now = System.nanoTime();
        for (Iterator<Session> it = sessions.values().iterator(); it.hasNext(); ) {
            Session session = it.next();
            if (expired(session, now)) {
                it.remove();
            }
        }
    }

    /** Compares in constant time, so that the token cannot be guessed byte by byte. */
    static boolean csrfMatches(Session session, String presented) {
        return session != null && presented != null && MessageDigest.isEqual(
                session.csrf.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
