package dev.upgradegate.gate.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import dev.upgradegate.gate.status.State;

class TestProblem {

    @Test
    void theFourMembersThenTheState() throws IOException {
        FakeExchange exchange = new FakeExchange("POST", "/install/upgrade", "/shop");
        Problem.send(exchange, 409, "Conflict", "an upgrade is already running", State.UPGRADE_RUNNING);
        assertEquals(409, exchange.status());
        assertEquals(Responses.PROBLEM_JSON, exchange.responseHeader("Content-Type"));
        assertEquals(Responses.LOCKED_DOWN_CSP, exchange.responseHeader("Content-Security-Policy"));
        assertEquals("{\"type\":\"about:blank\",\"status\":409,\"title\":\"Conflict\","
                + "\"detail\":\"an upgrade is already running\",\"state\":\"UPGRADE_RUNNING\"}", exchange.bodyText());
    }

    @Test
    void withoutAState() throws IOException {
        FakeExchange exchange = new FakeExchange("DELETE", "/install/maintenance", "/shop");
        Problem.send(exchange, 405, "Method Not Allowed", "use <GET>");
        assertEquals(405, exchange.status());
        assertEquals("{\"type\":\"about:blank\",\"status\":405,\"title\":\"Method Not Allowed\","
                + "\"detail\":\"use \\u003cGET\\u003e\"}", exchange.bodyText());
    }

    @Test
    void aHeadRequestGetsTheHeadersOnly() throws IOException {
        FakeExchange exchange = new FakeExchange("HEAD", "/install/status", "/shop");
        Problem.send(exchange, 404, "Not Found", "no such bypass");
        assertEquals(404, exchange.status());
        assertEquals("", exchange.bodyText());
    }
}
