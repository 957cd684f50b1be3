package dev.upgradegate.gate.jmx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.upgradegate.gate.install.WebappParts;

/**
 * {@link HostGatesMXBean} over the gates a container adapter holds. Each webapp goes through its own
 * {@link WebappGateBean}, so the words, the logging and the database writes are those of the per-webapp
 * operations; one webapp failing does not stop the others.
 */
public final class HostGatesBean implements HostGatesMXBean {

    private final Supplier<Collection<WebappParts>> gates;

    /** @param gates the host's gates as they are now: webapps come and go while the MBean stays */
    public HostGatesBean(Supplier<Collection<WebappParts>> gates) {
        this.gates = gates;
    }

    @Override
    public String[] getWebapps() {
        return each(bean -> bean.getState());
    }

    @Override
    public String[] maintenanceOnAll(String message, int minutes) {
        return each(bean -> bean.maintenanceOn(message, minutes));
    }

    @Override
    public String[] maintenanceOffAll() {
        return each(WebappGateBean::maintenanceOff);
    }

    private String[] each(Function<WebappGateBean, String> operation) {
        List<WebappParts> gated = new ArrayList<>();
        for (WebappParts gate : gates.get()) {
            if (gate.monitor().gated()) {
                gated.add(gate);
            }
        }
        gated.sort(Comparator.comparing(gate -> gate.webapp().name()));
        String[] lines = new String[gated.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = gated.get(i).webapp().name() + ": " + operation.apply(new WebappGateBean(gated.get(i)));
        }
        return lines;
    }
}
