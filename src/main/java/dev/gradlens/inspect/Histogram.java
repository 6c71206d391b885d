package dev.gradlens.inspect;

/**
 * Equal-width histogram of the finite values of a tensor, with NumPy's conventions
 * ({@code np.histogram(x[np.isfinite(x)], bins)}): {@code bins + 1} edges from the minimum to the
 * maximum, each bin half-open {@code [e_i, e_{i+1})} except the last, which includes the maximum;
 * when every value is equal the range is widened to {@code [v - 0.5, v + 0.5]}. Edges stay finite
 * even when the range is wider than the largest double (weights near ±1e308).
 *
 * @param edges bins + 1 bin edges, ascending
 * @param counts values per bin
 */
public record Histogram(double[] edges, long[] counts) {

    /** Histogram of the finite entries of {@code values}; null when there is none. */
    static Histogram of(double[] values, int bins, double min, double max) {
        if (!(min <= max)) {
            return null;
        }
        double lo = min == max ? min - 0.5 : min;
        double hi = min == max ? max + 0.5 : max;
        double[] edges = edges(lo, hi, bins);
        long[] counts = new long[bins];
        for (double v : values) {
            if (Double.isFinite(v)) {
                counts[binOf(v, edges, lo, hi)]++;
            }
        }
        return new Histogram(edges, counts);
    }

    /** {@code np.linspace(lo, hi, bins + 1)}: i·((hi − lo) / bins) + lo, the last edge hi. */
    private static double[] edges(double lo, double hi, int bins) {
        double step = (hi - lo) / bins;
        double[] edges = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            edges[i] = i * step + lo;
            if (!Double.isFinite(edges[i])) {
                // hi − lo overflowed: the same point from halved operands
                edges[i] = 2 * (i * ((hi / 2 - lo / 2) / bins) + lo / 2);
            }
        }
        edges[bins] = hi;
        return edges;
    }

    /**
     * NumPy's bin of {@code v}: ⌊(v − lo) · bins / (hi − lo)⌋, then settled against the edges
     * themselves, since rounding can land one bin off; the maximum goes into the last bin.
     */
    private static int binOf(double v, double[] edges, double lo, double hi) {
        int bins = edges.length - 1;
        double position = Double.isFinite(hi - lo) ? (v - lo) * (bins / (hi - lo))
                : (v / 2 - lo / 2) * (bins / (hi / 2 - lo / 2));
        int i = Math.max(0, Math.min(bins - 1, (int) position));
        if (v < edges[i] && i > 0) {
            i--;
        } else if (i < bins - 1 && v >= edges[i + 1]) {
            i++;
        }
        return i;
    }
}
