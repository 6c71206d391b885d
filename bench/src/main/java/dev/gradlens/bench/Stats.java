package dev.gradlens.bench;

import java.util.Arrays;

/** Order statistics of a sample of timings. */
final class Stats {

    private Stats() {
    }

    /** The q-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics. */
    static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double position = q * (sorted.length - 1);
        int low = (int) Math.floor(position);
        int high = Math.min(low + 1, sorted.length - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }

    static double median(double[] values) {
        return quantile(values, 0.5);
    }
}
