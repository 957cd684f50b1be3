package dev.upgradegate.testsupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TestTcpProxy {

    private ServerSocket echoServer;
    private ExecutorService echoThreads;
    private TcpProxy proxy;

    @BeforeEach
    void startEchoServerBehindProxy() throws IOException {
        echoServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        echoThreads = Executors.newCachedThreadPool();
        echoThreads.execute(this::echoConnections);
        proxy = new TcpProxy("127.0.0.1", echoServer.getLocalPort()).start();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        echoServer.close();
        echoThreads.shutdownNow();
        assertTrue(echoThreads.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void forwardsEverythingBothWaysUntilTheClientHalfCloses() throws Exception {
        byte[] sent = new byte[1 << 20];
        new Random(42).nextBytes(sent);
        try (Socket client = new Socket("127.0.0.1", proxy.port())) {
            ExecutorService writer = Executors.newSingleThreadExecutor();
            Future<?> written = writer.submit(() -> {
                client.getOutputStream().write(sent);
                client.shutdownOutput();
                return null;
            });
            byte[] received = client.getInputStream().readAllBytes();
            written.get(10, TimeUnit.SECONDS);
            writer.shutdown();
            assertArrayEquals(sent, received);
        }
    }

    @Test
    void aCutResetsOpenAndNewConnectionsUntilRestored() throws Exception {
        try (Socket before = new Socket("127.0.0.1", proxy.port())) {
            assertEquals('a', roundTrip(before, 'a'));
            assertEquals(1, proxy.openConnections());

            proxy.cut();

            assertEquals(0, proxy.openConnections());
            assertThrows(IOException.class, () -> roundTrip(before, 'b'));
        }
        try (Socket during = new Socket("127.0.0.1", proxy.port())) {
            assertThrows(IOException.class, () -> roundTrip(during, 'c'));
        }

        proxy.restore();

        try (Socket after = new Socket("127.0.0.1", proxy.port())) {
            assertEquals('d', roundTrip(after, 'd'));
        }
    }

    @Test
    void leavesNoThreadBehindWhenClosed() throws Exception {
        String threadPrefix = "tcp-proxy-" + proxy.port() + "-";
        try (Socket open = new Socket("127.0.0.1", proxy.port())) {
            assertEquals('x', roundTrip(open, 'x'));
            proxy.close();
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(thread -> thread.getName().startsWith(threadPrefix) && thread.isAlive()));
            assertThrows(IOException.class, () -> roundTrip(open, 'y'));
        }
    }

    /** Sends one byte and reads the echo; a closed connection shows up as an IOException. */
    private static int roundTrip(Socket socket, char c) throws IOException {
        socket.setSoTimeout(5_000);
        OutputStream out = socket.getOutputStream();
        out.write(c);
        out.flush();
        int echoed = socket.getInputStream().read();
        if (echoed == -1) {
            throw new IOException("connection closed");
        }
        return echoed;
    }

    private void echoConnections() {
        while (!echoServer.isClosed()) {
            try {
                Socket connection = echoServer.accept();
                echoThreads.execute(() -> echo(connection));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    private static void echo(Socket connection) {
        try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException ignored) {
            // The test cut or closed the connection.
        }
    }
}
