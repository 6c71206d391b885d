package dev.gradlens.training;

import dev.gradlens.nn.optim.OptimizerConfig;
import java.util.UUID;

/**
 * A checked {@link RunRequest} with its defaults filled in.
 *
 * @param optimizer the trainer settings for this run, or null to keep the model's
 */
record RunSpec(UUID datasetId, int steps, int batchSize, int seqLen, int evalInterval,
        int evalBatches, int checkpointInterval, long seed, OptimizerConfig optimizer) {
}
