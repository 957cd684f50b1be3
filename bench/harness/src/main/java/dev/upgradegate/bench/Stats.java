package dev.upgradegate.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

final class Stats {
    private Stats() {
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The lowest and highest per-round ratio, as "min–max", to show the run's noise beside its median. */
    static String ratioRange(List<Double> a, List<Double> b) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < a.size(); i++) {
            double r = a.get(i) / b.get(i);
            min = Math.min(min, r);
            max = Math.max(max, r);
        }
        // A smoke round on a busy machine may serve nothing at all: no ratio to show.
        return !(min <= max) ? "none" : String.format(java.util.Locale.ROOT, "%.2f–%.2f", min, max);
    }

    /** Median of the per-round ratios a[i]/b[i]: each round's A and B ran back to back. */
    static double pairedRatio(List<Double> a, List<Double> b) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            ratios.add(a.get(i) / b.get(i));
        }
        return median(ratios);
    }
}
