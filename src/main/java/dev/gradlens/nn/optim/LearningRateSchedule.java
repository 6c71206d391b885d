package dev.gradlens.nn.optim;

/**
 * Learning rate by step. For the 1-based step t, with peak η, floor η_min, W warm-up steps and
 * cosine end D:
 *
 * <pre>
 * CONSTANT:       η(t) = η
 * WARMUP_COSINE:  η(t) = η·t/W                                           for t ≤ W
 *                 η(t) = η_min + ½·(η − η_min)·(1 + cos(π·(t − W)/(D − W))) for W &lt; t &lt; D
 *                 η(t) = η_min                                           for t ≥ D
 * </pre>
 *
 * <p>The warm-up is the linear one of Goyal et al. 2017, reaching η at t = W; the decay is the
 * cosine of Loshchilov &amp; Hutter 2017 (SGDR) without restarts, reaching η_min at t = D and
 * staying there. With W = 0 there is no warm-up and the cosine starts at step 1.
 */
public final class LearningRateSchedule {

    private final OptimizerConfig config;

    /**
     * @throws dev.gradlens.nn.InvalidConfigException when the configuration is invalid
     */
    public LearningRateSchedule(OptimizerConfig config) {
        this.config = config.validate();
    }

    /**
     * The learning rate of step {@code step}.
     *
     * @throws IllegalArgumentException when step is below 1
     */
    public double rateAt(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be at least 1, was " + step);
        }
        if (config.schedule() == OptimizerConfig.Schedule.CONSTANT) {
            return config.learningRate();
        }
        return warmupCosine(step);
    }

    private double warmupCosine(long step) {
        double peak = config.learningRate();
        double floor = config.minLearningRate();
        int warmup = config.warmupSteps();
        int end = config.decaySteps();

        if (step <= warmup) {
            return peak * step / warmup;
        }
        if (step >= end) {
            return floor;
        }
        double progress = (double) (step - warmup) / (end - warmup);
        return floor + 0.5 * (peak - floor) * (1 + Math.cos(Math.PI * progress));
    }
}
