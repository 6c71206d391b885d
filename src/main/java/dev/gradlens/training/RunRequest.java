package dev.gradlens.training;

import java.util.UUID;

/**
 * Body of {@code POST /api/models/{id}/runs}.
 *
 * @param datasetId the corpus to train on (required)
 * @param steps training steps (required)
 * @param batchSize B, windows per step (default 12)
 * @param seqLen T, tokens per window, at most the model's maxSeqLen (default min(64, maxSeqLen))
 * @param evalInterval evaluate every this many steps; 0 only at the end (default steps / 10)
 * @param evalBatches batches of each part per evaluation (default 10)
 * @param checkpointInterval checkpoint every this many steps; 0 only at the end (default 0)
 * @param seed seed of the batch sampling (default 1)
 * @param schedule learning-rate settings for this run instead of the model's (optional)
 */
public record RunRequest(
        UUID datasetId,
        Integer steps,
        Integer batchSize,
        Integer seqLen,
        Integer evalInterval,
        Integer evalBatches,
        Integer checkpointInterval,
        Long seed,
        ScheduleRequest schedule) {

    /**
     * Learning-rate settings that replace the model's for one run; absent fields keep the
     * model's. The schedule counts the model's optimizer steps, as the model's own does.
     *
     * @param type "constant" or "warmup_cosine"
     */
    public record ScheduleRequest(Double learningRate, String type, Integer warmupSteps,
            Integer decaySteps, Double minLearningRate) {
    }
}
