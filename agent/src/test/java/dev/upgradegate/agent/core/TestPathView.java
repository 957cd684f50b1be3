package dev.upgradegate.agent.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The servlet path and path info read as one path, without joining them. */
class TestPathView {

    @Test
    void readsAcrossTheSplit() {
        PathView path = new PathView().set("/api", "/products/42");
        assertEquals("/api/products/42".length(), path.length());
        StringBuilder read = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            read.append(path.charAt(i));
        }
        assertEquals("/api/products/42", read.toString());
        assertEquals("/api/products/42", path.toString());
        assertEquals("i/pr", path.subSequence(3, 7).toString());
    }

    @Test
    void noPathInfoIsTheServletPathItself() {
        String servletPath = "/index.html";
        assertSame(servletPath, new PathView().set(servletPath, null).toString());
        assertEquals("/x", new PathView().set("", "/x").toString());
    }

    @Test
    void refilledForTheNextRequest() {
        PathView path = new PathView().set("/a", "/b");
        path.set("/c", null);
        assertEquals("/c", path.toString());
        assertEquals(2, path.length());
    }
}
