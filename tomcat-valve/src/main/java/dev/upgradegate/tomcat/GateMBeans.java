package dev.upgradegate.tomcat;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import dev.upgradegate.gate.WebappGate;
import dev.upgradegate.gate.jmx.HostGatesBean;
import dev.upgradegate.gate.jmx.HostGatesMXBean;
import dev.upgradegate.gate.jmx.WebappGateBean;
import dev.upgradegate.gate.jmx.WebappGateMXBean;

/**
 * Registers each gate in the platform MBean server, named like Tomcat's own MBeans:
 * {@code Catalina:type=UpgradeGate,host=localhost,context=/shop} ({@code context=/} for ROOT), and the host's
 * {@code Catalina:type=UpgradeGate,host=localhost} for all of them at once. JMX is a
 * convenience: a failure to register is logged and never stops a webapp.
 */
final class GateMBeans {

    private static final Logger LOG = Logger.getLogger(GateMBeans.class.getName());

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private final String domain;
    private final String host;

    GateMBeans(String domain, String host) {
        this.domain = domain;
        this.host = host;
    }

    ObjectName nameOf(String contextPath) throws JMException {
        return new ObjectName(domain + ":type=UpgradeGate,host=" + host
                + ",context=" + (contextPath.isEmpty() ? "/" : contextPath));
    }

    private ObjectName hostName() throws JMException {
        return new ObjectName(domain + ":type=UpgradeGate,host=" + host);
    }

    void registerHost(Supplier<Collection<WebappGate>> gates) {
        try {
            ObjectName name = hostName();
            remove(name);
            server.registerMBean(new StandardMBean(new HostGatesBean(() -> gates.get().stream().map(WebappGate::parts)
                    .collect(Collectors.toList())), HostGatesMXBean.class, true), name);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, host + ": cannot register the host's UpgradeGate MBean: " + e);
        }
    }

    void unregisterHost() {
        try {
            remove(hostName());
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.FINE, "unregistering the host's UpgradeGate MBean", e);
        }
    }

    private void remove(ObjectName name) throws JMException {
        if (server.isRegistered(name)) {
            server.unregisterMBean(name);
        }
    }

    void register(WebappGate gate) {
        if (!gate.gated()) {
            return;
        }
        try {
            ObjectName name = nameOf(gate.webapp().contextPath());
            remove(name);
            server.registerMBean(new StandardMBean(new WebappGateBean(gate.parts()), WebappGateMXBean.class, true), name);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, gate.webapp().name() + ": cannot register the UpgradeGate MBean: " + e);
        }
    }

    void unregister(String contextPath) {
        try {
            remove(nameOf(contextPath));
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.FINE, "unregistering the UpgradeGate MBean of " + contextPath, e);
        }
    }
}
