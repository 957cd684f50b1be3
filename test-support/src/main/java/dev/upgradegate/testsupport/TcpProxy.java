package dev.upgradegate.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder listening on 127.0.0.1 that a test can {@link #cut()} to simulate an outage of
 * whatever is behind it, {@link #hang()} to simulate a server that accepts connections and never answers, and
 * {@link #restore()}, without touching the target itself.
 */
public final class TcpProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int BUFFER_SIZE = 16 * 1024;

    private final String targetHost;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger threadCount = new AtomicInteger();
    private ServerSocket listener;
    private ExecutorService threads;
    private volatile boolean cut;
    private volatile boolean hung;
    /** Connections accepted while hung: held open and silent, as a hung server's backlog would be. */
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    private boolean closed;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** Binds a free port on 127.0.0.1 and starts forwarding. */
    public synchronized TcpProxy start() throws IOException {
        if (listener != null) {
            throw new IllegalStateException("Already started on port " + listener.getLocalPort());
        }
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 64);
        listener = socket;
        threads = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "tcp-proxy-" + socket.getLocalPort() + "-" + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::acceptConnections);
        return this;
    }

    public synchronized int port() {
        if (listener == null) {
            throw new IllegalStateException("Not started");
        }
        return listener.getLocalPort();
    }

    public String targetHost() {
        return targetHost;
    }

    public int targetPort() {
        return targetPort;
    }

    /**
     * Resets every open connection at once, and resets new ones as soon as they are accepted,
     * until {@link #restore()}. Clients see an immediate I/O error instead of waiting for a timeout.
     */
    public synchronized void cut() {
        cut = true;
        links.forEach(Link::reset);
    }

    /**
     * From now on nothing is forwarded in either direction: open connections stall, new ones are accepted
     * and never answered, as with a hung server or a blackholed route. {@link #restore()} resumes open
     * connections and resets the held ones (their clients have long given up).
     */
    public synchronized void hang() {
        hung = true;
    }

    public synchronized void restore() {
        cut = false;
        hung = false;
        held.forEach(TcpProxy::resetQuietly);
        held.clear();
    }

    public boolean isCut() {
        return cut;
    }

    /** Connections currently forwarded. */
    public int openConnections() {
        return links.size();
    }

    /** Stops listening, closes every connection and waits for the proxy's threads to end. */
    @Override
    public void close() {
        ExecutorService toStop;
        synchronized (this) {
            if (closed || listener == null) {
                closed = true;
                return;
            }
            closed = true;
            closeQuietly(listener);
            links.forEach(Link::reset);
            held.forEach(TcpProxy::resetQuietly);
            toStop = threads;
        }
        toStop.shutdownNow();
        try {
            toStop.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptConnections() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                pauseAfterFailedAccept(); // closed (the loop ends) or, say, out of file descriptors
                continue;
            }
            if (cut) {
                resetQuietly(client);
                continue;
            }
            if (hung) {
                held.add(client);
                continue;
            }
            try {
                threads.execute(() -> forward(client));
            } catch (RejectedExecutionException closing) {
                resetQuietly(client);
            }
        }
    }

    private static void pauseAfterFailedAccept() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forward(Socket client) {
        Link link = new Link(client, new Socket());
        if (!register(link)) {
            return;
        }
        try {
            link.upstream.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MS);
            // Request/response protocols stall on Nagle's algorithm when forwarded.
            client.setTcpNoDelay(true);
            link.upstream.setTcpNoDelay(true);
            threads.execute(() -> pump(link, link.upstream, client));
        } catch (IOException | RejectedExecutionException e) {
            link.reset();
            return;
        }
        pump(link, client, link.upstream);
    }

    /** Registers under the lock that {@link #cut()} takes, so no connection slips past a cut. */
    private synchronized boolean register(Link link) {
        if (cut || closed) {
            link.reset();
            return false;
        }
        links.add(link);
        return true;
    }

    private void pump(Link link, Socket from, Socket to) {
        byte[] buffer = new byte[BUFFER_SIZE];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int read;
            while ((read = in.read(buffer)) != -1) {
                while (hung) {
                    Thread.sleep(10);
                }
                out.write(buffer, 0, read);
            }
            to.shutdownOutput();
        } catch (IOException e) {
            link.reset();
            return;
        } catch (InterruptedException closing) {
            link.reset();
            Thread.currentThread().interrupt();
            return;
        }
        link.directionDone();
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // Closing normally is the next best thing.
        }
        closeQuietly(socket);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Nothing left to do with it.
        }
    }

    /** One client connection and its connection to the target. */
    private final class Link {
        final Socket client;
        final Socket upstream;
        private final AtomicInteger openDirections = new AtomicInteger(2);

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        /** Once both sides have half-closed, the connection ended normally. */
        void directionDone() {
            if (openDirections.decrementAndGet() == 0) {
                links.remove(this);
                closeQuietly(client);
                closeQuietly(upstream);
            }
        }

        /** Aborts both sides with a TCP reset, as an outage or a failed side would. */
        void reset() {
            links.remove(this);
            resetQuietly(client);
            resetQuietly(upstream);
        }
    }
}
