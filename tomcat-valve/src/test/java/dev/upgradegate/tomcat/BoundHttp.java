package dev.upgradegate.tomcat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.0 request from a socket bound to a chosen local address, such as 127.0.0.2, so that a test
 * is another client as the server sees the TCP peer (java.net.http cannot bind its local address).
 */
final class BoundHttp {

    final int status;
    final String head;
    final String body;

    private BoundHttp(int status, String head, String body) {
        this.status = status;
        this.head = head;
        this.body = body;
    }

    /** @param headers request headers in pairs */
    static BoundHttp send(String localAddress, int port, String method, String path, String... headers) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder(method).append(' ').append(path)
                    .append(" HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return new BoundHttp(Integer.parseInt(text.substring(9, 12)), text.substring(0, end), text.substring(end + 4));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " from " + localAddress + " failed: " + e, e);
        }
    }

    /** A response header's value, or {@code null}. */
    String header(String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }
}
