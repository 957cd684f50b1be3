package dev.upgradegate.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.startup.Tomcat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.upgradegate.agent.core.ServletAccessors;
import dev.upgradegate.agent.core.ServletGates;

/**
 * The agent's servlet path (issue 14) on a passing request, beside {@link PassesBenchmark}'s decision alone: the
 * compiled jakarta accessor finds the request's dispatch type, servlet context and path, the webapp's gate in the
 * context, and the gate's decision ({@code WebappGate.answered}) on the same UP gate over a real MariaDB. The
 * request and response are Tomcat's own ({@code org.apache.catalina.connector.Request} behind its facade), mapped
 * to {@code /shop} and never started: only what the agent calls on them runs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class AgentServletBenchmark {

    private final PassesBenchmark up = new PassesBenchmark();
    private Path base;
    private Request request;
    private Object facade;
    private Object response;
    private ServletGates gates;

    @Setup(Level.Trial)
    public void start() throws Exception {
        up.start();
        base = Files.createTempDirectory("upgradegate-jmh-tomcat-");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Context context = tomcat.addContext("/shop", base.toString());
        context.getServletContext().setAttribute(ServletGates.GATE, up.gate());

        request = new Request(new Connector(), new org.apache.coyote.Request());
        request.getMappingData().context = context;
        // A servlet mapped to /products/*: GET /shop/products/42.
        request.getMappingData().wrapperPath.setString("/products");
        request.getMappingData().pathInfo.setString("/42");
        facade = request.getRequest();
        response = new Response(new org.apache.coyote.Response()).getResponse();

        // The agent's accessors, here defined in the benchmark's own class loader, which sees jakarta.servlet.
        gates = new ServletGates(new ServletAccessors(
                (accessorClass, apiLoader) -> Class.forName(accessorClass, true, getClass().getClassLoader())),
                base.resolve("unused.properties"));
        if (dispatch() || fallback()) {
            throw new IllegalStateException("the agent's servlet path stopped a page of an UP webapp");
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        up.stop();
    }

    /** Jetty ee10/ee11's entry: Jetty hands over the path inside the webapp, judged as it is. */
    @Benchmark
    public boolean dispatch() {
        return gates.dispatch("/products/42", facade, response);
    }

    /**
     * The fallback at a webapp's first filter or servlet: the servlet path and path info read in place, and the
     * request marked for the later filters of its dispatch. The mark goes as the container's recycling of the
     * request would take it, so each call is a new request; both are Tomcat's attribute map's work, measured alone
     * by {@link #containerMark}.
     */
    @Benchmark
    public boolean fallback() {
        boolean answered = gates.fallback(facade, response);
        request.removeAttribute(ServletGates.SEEN);
        return answered;
    }

    /**
     * What {@link #fallback} costs in Tomcat's own code: setting and removing one request attribute (a map entry,
     * and the copy of the context's listener array that Tomcat makes for each). The difference is the agent's.
     */
    @Benchmark
    public Object containerMark() {
        request.setAttribute(ServletGates.SEEN, Boolean.TRUE);
        Object seen = request.getAttribute(ServletGates.SEEN);
        request.removeAttribute(ServletGates.SEEN);
        return seen;
    }
}
