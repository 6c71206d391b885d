package dev.gradlens.model;

import dev.gradlens.model.CreateModelRequest.OptimizerRequest;
import dev.gradlens.nn.InvalidConfigException;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.nn.optim.OptimizerConfig.Schedule;
import dev.gradlens.nn.optim.OptimizerConfig.Type;
import dev.gradlens.system.ApiException;
import java.util.Map;

/**
 * Defaults and checks of the {@code optimizer} object. Defaults: AdamW, learning rate 1e-3,
 * betas (0.9, 0.999), epsilon 1e-8, weight decay 0.01 for AdamW and 0 otherwise, SGD momentum
 * 0.9, no clipping, constant schedule.
 */
final class OptimizerSpecs {

    private static final Map<String, Type> TYPES =
            Map.of("sgd", Type.SGD, "adam", Type.ADAM, "adamw", Type.ADAMW);
    private static final Map<String, Schedule> SCHEDULES =
            Map.of("constant", Schedule.CONSTANT, "warmup_cosine", Schedule.WARMUP_COSINE);

    private OptimizerSpecs() {
    }

    static OptimizerConfig resolve(OptimizerRequest request) {
        OptimizerRequest r = request != null ? request : new OptimizerRequest(
                null, null, null, null, null, null, null, null, null, null, null, null);
        Type type = ModelSpecs.choice("optimizer.type", r.type(), TYPES, Type.ADAMW);
        Schedule schedule =
                ModelSpecs.choice("optimizer.schedule", r.schedule(), SCHEDULES, Schedule.CONSTANT);
        double learningRate = finite("learningRate", r.learningRate(), 1e-3);
        if (learningRate <= 0) {
            throw ApiException.invalid("optimizer.learningRate", "must be positive");
        }
        OptimizerConfig config = new OptimizerConfig(type, learningRate,
                finite("momentum", r.momentum(), type == Type.SGD ? 0.9 : 0),
                finite("beta1", r.beta1(), 0.9),
                finite("beta2", r.beta2(), 0.999),
                finite("epsilon", r.epsilon(), 1e-8),
                finite("weightDecay", r.weightDecay(), type == Type.ADAMW ? 0.01 : 0),
                finite("gradClip", r.gradClip(), 0),
                schedule,
                ModelSpecs.bounded("optimizer.warmupSteps", r.warmupSteps(), 0, 0, 1_000_000_000),
                ModelSpecs.bounded("optimizer.decaySteps", r.decaySteps(), 0, 0, 1_000_000_000),
                finite("minLearningRate", r.minLearningRate(), 0));
        try {
            config.validate();
        } catch (InvalidConfigException e) {
            throw ModelSpecs.prefixed("optimizer.", e);
        }
        checkSchedule(config);
        return config;
    }

    private static void checkSchedule(OptimizerConfig config) {
        if (config.minLearningRate() > config.learningRate()) {
            throw ApiException.invalid("optimizer.minLearningRate",
                    "must not exceed learningRate");
        }
        if (config.schedule() == Schedule.WARMUP_COSINE
                && config.decaySteps() <= config.warmupSteps()) {
            throw ApiException.invalid("optimizer.decaySteps",
                    "must be greater than warmupSteps for the warmup_cosine schedule");
        }
    }

    private static double finite(String field, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!Double.isFinite(v)) {
            throw ApiException.invalid("optimizer." + field, "must be a finite number");
        }
        return v;
    }
}
