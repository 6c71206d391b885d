package dev.gradlens.nn.optim;

/**
 * Clipping by global norm (Pascanu et al. 2013): when ‖g‖ = √(Σ_i ‖g_i‖²) over all parameters
 * exceeds the threshold c, every gradient is scaled by c/‖g‖, so the global norm becomes c and
 * the direction is kept.
 */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** The global L2 norm √(Σ n_i²) of gradients whose own L2 norms are {@code norms}. */
    public static double globalNorm(double[] norms) {
        double sumOfSquares = 0;
        for (double n : norms) {
            sumOfSquares += n * n;
        }
        return Math.sqrt(sumOfSquares);
    }

    /**
     * The factor to apply to every gradient: c/‖g‖ when ‖g‖ &gt; c, else 1.
     *
     * @param globalNorm ‖g‖, finite
     * @param maxNorm c; 0 disables clipping
     * @throws IllegalArgumentException when maxNorm is negative or not finite
     */
    public static double scale(double globalNorm, double maxNorm) {
        if (!(maxNorm >= 0) || Double.isInfinite(maxNorm)) {
            throw new IllegalArgumentException("maxNorm must be finite and >= 0, was " + maxNorm);
        }
        if (maxNorm == 0 || globalNorm <= maxNorm) {
            return 1;
        }
        return maxNorm / globalNorm;
    }
}
