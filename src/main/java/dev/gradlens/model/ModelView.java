package dev.gradlens.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A model as the API shows it.
 *
 * @param loaded whether the weights are in memory; false after a restart (steps and inspection
 *     then answer 409)
 * @param stepCount training steps recorded for the model, manual and run steps alike (those with
 *     {@code "update": false} included): the {@code totalElements} of
 *     {@code GET /api/models/{id}/steps}, counted in the database, so also for a model that is
 *     not loaded
 * @param parameters names, shapes and sizes in the engine's order; null when not loaded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelView(
        UUID id,
        String name,
        Instant createdAt,
        boolean loaded,
        long parameterCount,
        long stepCount,
        Config config,
        Optimizer optimizer,
        Tokenizer tokenizer,
        List<ParameterInfo> parameters) {

    /** Engine options. */
    public record Config(int vocabSize, int dModel, int nHeads, int nLayers, int dFF,
            int maxSeqLen, boolean causal, String norm, String activation, long seed,
            String dataType) {
    }

    /** Optimizer options. */
    public record Optimizer(String type, double learningRate, double momentum, double beta1,
            double beta2, double epsilon, double weightDecay, double gradClip, String schedule,
            int warmupSteps, int decaySteps, double minLearningRate) {
    }

    /** The tokenizer; {@code alphabet} (char only) lists the characters in id order. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Tokenizer(String type, Integer vocabSize, String alphabet) {
    }

    /** One trainable tensor. */
    public record ParameterInfo(String name, long[] shape, long count) {
    }

    static ModelView of(ModelEntity row, List<ParameterInfo> parameters, long stepCount) {
        var c = row.config();
        var o = row.optimizer();
        var t = row.tokenizer();
        return new ModelView(row.getId(), row.getName(), row.getCreatedAt(), parameters != null,
                row.getParameterCount(), stepCount,
                new Config(c.vocabSize(), c.dModel(), c.nHeads(), c.nLayers(), c.dFF(),
                        c.maxSeqLen(), c.causal(), row.getNormPlacement(), row.getActivation(),
                        c.seed(), row.getDataType()),
                new Optimizer(row.getOptimizerType(), o.learningRate(), o.momentum(), o.beta1(),
                        o.beta2(), o.epsilon(), o.weightDecay(), o.gradClip(), row.getSchedule(),
                        o.warmupSteps(), o.decaySteps(), o.minLearningRate()),
                new Tokenizer(t.type(), t.vocabSize(), t.alphabet()),
                parameters);
    }
}
