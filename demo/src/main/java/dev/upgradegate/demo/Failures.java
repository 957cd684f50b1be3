package dev.upgradegate.demo;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;

/** Turns exceptions into one line a user can read: their messages, without class names where they add nothing. */
final class Failures {

    private Failures() {}

    /** The distinct messages along the cause chain, first lines only, joined with ": ". */
    static String describe(Throwable failure) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            String line = message == null || message.isBlank() ? null : message.strip().lines().findFirst().orElse("");
            if (line == null) {
                if (t.getCause() == null) {
                    parts.add(t.getClass().getSimpleName());
                }
                continue;
            }
            String text = t instanceof java.net.UnknownHostException ? "unknown host " + line : line;
            boolean repeated = parts.stream().anyMatch(part -> part.contains(text));
            if (!repeated) {
                parts.add(text);
            }
            if (t instanceof SQLException && t.getCause() == null) {
                break;
            }
        }
        return String.join(": ", parts);
    }

    /** The first exception of {@code type} in the cause chain, or {@code null}. */
    static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
