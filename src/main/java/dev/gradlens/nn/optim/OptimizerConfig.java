package dev.gradlens.nn.optim;

import dev.gradlens.nn.InvalidConfigException;

/**
 * Optimizer, learning-rate schedule and clipping of a training run.
 *
 * @param type SGD (with momentum), ADAM or ADAMW
 * @param learningRate peak learning rate
 * @param momentum SGD momentum (0 for plain SGD)
 * @param beta1 Adam's first-moment decay
 * @param beta2 Adam's second-moment decay
 * @param epsilon Adam's denominator term
 * @param weightDecay decoupled weight decay of AdamW (ignored by the others)
 * @param gradClip maximum global gradient norm; 0 disables clipping
 * @param schedule CONSTANT, or WARMUP_COSINE: linear warm-up then cosine decay to minLearningRate
 * @param warmupSteps steps of linear warm-up (WARMUP_COSINE)
 * @param decaySteps step at which the cosine reaches minLearningRate (WARMUP_COSINE)
 * @param minLearningRate floor of the cosine decay
 */
public record OptimizerConfig(
        Type type,
        double learningRate,
        double momentum,
        double beta1,
        double beta2,
        double epsilon,
        double weightDecay,
        double gradClip,
        Schedule schedule,
        int warmupSteps,
        int decaySteps,
        double minLearningRate) {

    public enum Type { SGD, ADAM, ADAMW }

    /**
     * The smallest epsilon: with 0, a weight whose gradient has always been 0 gets the update
     * 0/0 = NaN; 1e-30 times Adam's bias correction stays a positive float32.
     */
    public static final double MIN_EPSILON = 1e-30;

    public enum Schedule { CONSTANT, WARMUP_COSINE }

    /** AdamW, lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01, no clipping, constant. */
    public static OptimizerConfig adamW(double learningRate) {
        return new OptimizerConfig(Type.ADAMW, learningRate, 0, 0.9, 0.999, 1e-8, 0.01, 0,
                Schedule.CONSTANT, 0, 0, 0);
    }

    /** Adam, lr as given, betas (0.9, 0.999), eps 1e-8, no clipping, constant. */
    public static OptimizerConfig adam(double learningRate) {
        return new OptimizerConfig(Type.ADAM, learningRate, 0, 0.9, 0.999, 1e-8, 0, 0,
                Schedule.CONSTANT, 0, 0, 0);
    }

    /** SGD with momentum μ, no clipping, constant learning rate. */
    public static OptimizerConfig sgd(double learningRate, double momentum) {
        return new OptimizerConfig(Type.SGD, learningRate, momentum, 0.9, 0.999, 1e-8, 0, 0,
                Schedule.CONSTANT, 0, 0, 0);
    }

    /** This config with another maximum global gradient norm (0 disables clipping). */
    public OptimizerConfig withGradClip(double maxNorm) {
        return new OptimizerConfig(type, learningRate, momentum, beta1, beta2, epsilon,
                weightDecay, maxNorm, schedule, warmupSteps, decaySteps, minLearningRate);
    }

    /** This config with another AdamW weight decay λ. */
    public OptimizerConfig withWeightDecay(double decay) {
        return new OptimizerConfig(type, learningRate, momentum, beta1, beta2, epsilon, decay,
                gradClip, schedule, warmupSteps, decaySteps, minLearningRate);
    }

    /** This config with Adam's ε replaced. */
    public OptimizerConfig withEpsilon(double eps) {
        return new OptimizerConfig(type, learningRate, momentum, beta1, beta2, eps, weightDecay,
                gradClip, schedule, warmupSteps, decaySteps, minLearningRate);
    }

    /** This config with a WARMUP_COSINE schedule (see {@link LearningRateSchedule}). */
    public OptimizerConfig withWarmupCosine(int warmup, int decayEnd, double minRate) {
        return new OptimizerConfig(type, learningRate, momentum, beta1, beta2, epsilon,
                weightDecay, gradClip, Schedule.WARMUP_COSINE, warmup, decayEnd, minRate);
    }

    /**
     * Checks every field.
     *
     * @throws InvalidConfigException naming the first field out of range
     */
    public OptimizerConfig validate() {
        if (type == null) {
            throw new InvalidConfigException("type", "must be SGD, ADAM or ADAMW");
        }
        if (schedule == null) {
            throw new InvalidConfigException("schedule", "must be CONSTANT or WARMUP_COSINE");
        }
        finiteAtLeast("learningRate", learningRate, 0);
        finiteAtLeast("momentum", momentum, 0);
        unit("momentum", momentum);
        unit("beta1", beta1);
        unit("beta2", beta2);
        finiteAtLeast("epsilon", epsilon, MIN_EPSILON);
        finiteAtLeast("weightDecay", weightDecay, 0);
        finiteAtLeast("gradClip", gradClip, 0);
        finiteAtLeast("minLearningRate", minLearningRate, 0);
        if (warmupSteps < 0) {
            throw new InvalidConfigException("warmupSteps", "must not be negative");
        }
        if (decaySteps < 0) {
            throw new InvalidConfigException("decaySteps", "must not be negative");
        }
        if (schedule == Schedule.WARMUP_COSINE) {
            checkCosine();
        }
        return this;
    }

    private void checkCosine() {
        if (decaySteps < 1 || decaySteps < warmupSteps) {
            throw new InvalidConfigException("decaySteps",
                    "must be at least 1 and at least warmupSteps (" + warmupSteps + ") for "
                            + "WARMUP_COSINE, was " + decaySteps);
        }
        if (minLearningRate > learningRate) {
            throw new InvalidConfigException("minLearningRate",
                    "must not exceed learningRate (" + learningRate + ")");
        }
    }

    private static void finiteAtLeast(String field, double value, double min) {
        if (!Double.isFinite(value) || value < min) {
            throw new InvalidConfigException(field, "must be a finite number >= " + min);
        }
    }

    private static void unit(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new InvalidConfigException(field, "must be in [0, 1)");
        }
    }
}
