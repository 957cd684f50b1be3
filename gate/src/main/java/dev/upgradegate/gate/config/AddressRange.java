package dev.upgradegate.gate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A CIDR range of client addresses, such as {@code 10.0.0.0/8} or {@code ::1/128}. Immutable. */
public final class AddressRange {

    /** Literal addresses only: a host name here would make every check a DNS lookup. */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private final byte[] network;
    private final int prefix;
    private final String text;

    private AddressRange(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /** Parses {@code address/prefix} or a single address. */
    public static AddressRange parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an address range such as 10.0.0.0/8");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("'" + trimmed + "' has a bad prefix length");
            }
        }
        return new AddressRange(bytes, prefix, trimmed);
    }

    /** A comma-separated list of ranges. */
    public static List<AddressRange> parseList(String text) {
        List<AddressRange> ranges = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                ranges.add(parse(part));
            }
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("lists no address range");
        }
        return List.copyOf(ranges);
    }

    private static byte[] literal(String address) {
        if (address.isEmpty() || !LITERAL.matcher(address).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Whether the literal address {@code client} lies in this range; anything unparsable does not. */
    public boolean contains(String client) {
        byte[] bytes = bytes(client);
        if (bytes == null || bytes.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    /**
     * The bytes of a literal address as containers report it ({@code 10.0.0.1}, {@code ::1},
     * {@code [::1]}), or {@code null} for anything else; never a DNS lookup.
     */
    public static byte[] bytes(String client) {
        return client == null ? null : literal(client.startsWith("[") && client.endsWith("]")
                ? client.substring(1, client.length() - 1) : client);
    }

    /** Whether the literal address is a loopback one (127.0.0.0/8 or ::1). */
    public static boolean isLoopback(String client) {
        byte[] bytes = bytes(client);
        if (bytes == null) {
            return false;
        }
        try {
            return InetAddress.getByAddress(bytes).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
