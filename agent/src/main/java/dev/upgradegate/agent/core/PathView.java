package dev.upgradegate.agent.core;

/**
 * The path inside a webapp as the servlet API splits it, servlet path then path info, read as one sequence without
 * joining them: the gate's decision reads it in place, so a passing request allocates no string. One per thread,
 * refilled for each request; {@link #toString} makes the string only when the gate answers.
 */
final class PathView implements CharSequence {

    private String head = "";
    private String tail = "";

    /** @param tail {@code null} for none, as {@code getPathInfo()} returns */
    PathView set(String head, String tail) {
        this.head = head;
        this.tail = tail == null ? "" : tail;
        return this;
    }

    @Override
    public int length() {
        return head.length() + tail.length();
    }

    @Override
    public char charAt(int index) {
        int split = head.length();
        return index < split ? head.charAt(index) : tail.charAt(index - split);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    @Override
    public String toString() {
        return tail.isEmpty() ? head : head.concat(tail);
    }
}
