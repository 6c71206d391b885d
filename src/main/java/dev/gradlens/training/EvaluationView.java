package dev.gradlens.training;

import java.time.Instant;

/**
 * An evaluation as the API and the {@code eval} event show it.
 *
 * @param runStep steps of the run done when it was taken (1-based)
 * @param stepNumber the model's step number at that point (as in the step history)
 * @param trainLoss mean loss on evalBatches batches of the training part
 * @param valLoss mean loss on evalBatches batches of the validation part
 */
public record EvaluationView(int runStep, long stepNumber, Double trainLoss, Double valLoss,
        Instant createdAt) {
}
