package dev.upgradegate.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The table of hooked classes, as the launcher and the core read it. */
class TestHookedClass {

    @Test
    void tomcatIsHookedAtItsHostAndNowhereElse() {
        assertEquals(HookedClass.TOMCAT_HOST, HookedClass.of("org/apache/catalina/core/StandardHostValve"));
        assertTrue(HookedClass.TOMCAT_HOST.applies(true, false));
        // Tomcat's own entry comes first: its webapps' servlets and filters are not hooked a second time.
        assertFalse(HookedClass.JAKARTA_FILTER.applies(true, false));
        assertFalse(HookedClass.JAVAX_SERVLET.applies(true, false));
        assertNull(HookedClass.of("org/apache/catalina/core/StandardEngineValve"));
    }

    @Test
    void jettyJakartaHasItsEntryAndEe8KeepsTheFallback() {
        assertEquals(HookedClass.JETTY_EE10_DISPATCH,
                HookedClass.of("org/eclipse/jetty/ee10/servlet/ServletHandler$MappedServlet"));
        assertFalse(HookedClass.JAKARTA_SERVLET.applies(false, true));
        assertTrue(HookedClass.JAVAX_SERVLET.applies(false, true));
        assertTrue(HookedClass.JAVAX_FILTER.applies(false, true));
    }

    @Test
    void elsewhereTheFirstFilterOrServletOfEitherApi() {
        for (HookedClass fallback : new HookedClass[] {HookedClass.JAKARTA_FILTER, HookedClass.JAKARTA_SERVLET,
                HookedClass.JAVAX_FILTER, HookedClass.JAVAX_SERVLET}) {
            assertTrue(fallback.applies(false, false), fallback.name());
            assertEquals(HookedClass.Advice.FALLBACK, fallback.advice);
        }
    }

    @Test
    void methodsMatchByNameAndDescriptor() {
        assertTrue(HookedClass.JAKARTA_SERVLET.hooks("service",
                "(Ljakarta/servlet/ServletRequest;Ljakarta/servlet/ServletResponse;)V"));
        // HttpServlet's typed overload is called by the untyped one: only the untyped one is hooked.
        assertFalse(HookedClass.JAKARTA_SERVLET.hooks("service",
                "(Ljakarta/servlet/http/HttpServletRequest;Ljakarta/servlet/http/HttpServletResponse;)V"));
        // Jetty's request types differ between ee10 and ee11: the start of the descriptor is enough.
        assertTrue(HookedClass.JETTY_EE11_DISPATCH.hooks("handle", "(Lorg/eclipse/jetty/ee11/servlet/ServletHandler;"
                + "Ljava/lang/String;Ljakarta/servlet/http/HttpServletRequest;Ljakarta/servlet/http/HttpServletResponse;)V"));
        assertFalse(HookedClass.JETTY_EE11_DISPATCH.hooks("handle", "(Lorg/eclipse/jetty/ee11/servlet/ServletHandler;"
                + "Ljava/lang/String;)Ljava/lang/Object;"));
        assertEquals(3, HookedClass.JETTY_EE10_DISPATCH.locals());
        assertEquals(2, HookedClass.JETTY_EE10_DISPATCH.local(0));
    }
}
