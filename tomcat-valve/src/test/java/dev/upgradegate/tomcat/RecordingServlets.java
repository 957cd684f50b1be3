package dev.upgradegate.tomcat;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Servlets a test webapp's web.xml names, loaded from the test class path (Tomcat's webapp loader asks its
 * parent for what the webapp lacks), so that the test reads what ran: each counts its runs by dispatcher type.
 * {@link #WEB_XML} maps them, with the shop's error pages for every status and exception on {@code /error-page}.
 */
public final class RecordingServlets {

    static final String WEB_XML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
            + servlet("Forward", "/forward", false) + servlet("Include", "/include", false)
            + servlet("Async", "/async", true) + servlet("Target", "/target", true)
            + servlet("ErrorPage", "/error-page", true)
            + "  <error-page><error-code>404</error-code><location>/error-page</location></error-page>\n"
            + "  <error-page><error-code>500</error-code><location>/error-page</location></error-page>\n"
            + "  <error-page><error-code>503</error-code><location>/error-page</location></error-page>\n"
            + "  <error-page><exception-type>java.lang.Throwable</exception-type><location>/error-page</location></error-page>\n"
            + "  <error-page><location>/error-page</location></error-page>\n"
            + "</web-app>\n";

    /** Runs per servlet and dispatcher type, e.g. {@code Target FORWARD}. */
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();
    /** Counted down when {@link Async} has started its async cycle; the test then changes the gate's state. */
    static volatile CountDownLatch asyncStarted = new CountDownLatch(1);
    /** Counted down by the test to let {@link Async} dispatch. */
    static volatile CountDownLatch dispatchNow = new CountDownLatch(1);

    private RecordingServlets() {
    }

    private static String servlet(String name, String path, boolean async) {
        return "  <servlet><servlet-name>" + name + "</servlet-name><servlet-class>"
                + RecordingServlets.class.getName() + "$" + name + "</servlet-class>"
                + "<async-supported>" + async + "</async-supported></servlet>\n"
                + "  <servlet-mapping><servlet-name>" + name + "</servlet-name><url-pattern>" + path
                + "</url-pattern></servlet-mapping>\n";
    }

    static int runs(String servletAndDispatch) {
        AtomicInteger count = RUNS.get(servletAndDispatch);
        return count == null ? 0 : count.get();
    }

    private static void record(String servlet, HttpServletRequest request) {
        RUNS.computeIfAbsent(servlet + " " + request.getDispatcherType(), k -> new AtomicInteger()).incrementAndGet();
    }

    public static final class Forward extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            record("Forward", request);
            try {
                request.getRequestDispatcher("/target").forward(request, response);
            } catch (jakarta.servlet.ServletException e) {
                throw new IOException(e);
            }
        }
    }

    public static final class Include extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            record("Include", request);
            response.setContentType("text/plain");
            response.getWriter().print("included: ");
            try {
                request.getRequestDispatcher("/target").include(request, response);
            } catch (jakarta.servlet.ServletException e) {
                throw new IOException(e);
            }
        }
    }

    /** Starts an async cycle and dispatches to {@code /target} once the test says so. */
    public static final class Async extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            record("Async", request);
            AsyncContext async = request.startAsync();
            async.setTimeout(60_000);
            CountDownLatch go = dispatchNow;
            Thread dispatcher = new Thread(() -> {
                try {
                    if (go.await(30, TimeUnit.SECONDS)) {
                        async.dispatch("/target");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "test-async-dispatcher");
            dispatcher.setDaemon(true);
            dispatcher.start();
            asyncStarted.countDown();
        }
    }

    public static final class Target extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            record("Target", request);
            response.setContentType("text/plain");
            response.getWriter().print("target " + request.getDispatcherType());
        }
    }

    /** The shop's own error page: it would need the shop's database, and must never run while it is gated. */
    public static final class ErrorPage extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            record("ErrorPage", request);
            response.getWriter().print("the shop's own error page");
        }
    }
}
