package dev.gradlens.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * A run as the API shows it. A manual run (steps posted one by one) has only id, modelId, kind,
 * currentStep and lastTrainLoss.
 *
 * @param status queued, running, completed, failed, cancelled or interrupted (the service
 *     stopped while it was queued or running)
 * @param steps steps asked for
 * @param currentStep steps done
 * @param lastTrainLoss loss of the latest step (one batch)
 * @param lastValLoss validation loss of the latest evaluation
 * @param tokensPerSecond target tokens per second of training so far
 * @param etaSeconds estimated time left while running
 * @param schedule the learning-rate settings of this run, when they replace the model's
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunView(
        Long id,
        UUID modelId,
        String kind,
        String status,
        UUID datasetId,
        Integer steps,
        int currentStep,
        Integer batchSize,
        Integer seqLen,
        Integer evalInterval,
        Integer evalBatches,
        Integer checkpointInterval,
        Long seed,
        RunRequest.ScheduleRequest schedule,
        Double lastTrainLoss,
        Double lastValLoss,
        Double tokensPerSecond,
        Double elapsedSeconds,
        Double etaSeconds,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String error) {
}
