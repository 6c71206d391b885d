package dev.gradlens.training;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Stores a step (and, for the model's first step, its manual run) in one transaction. */
@Service
class StepRecorder {

    private final TrainingRunRepository runs;
    private final StepRepository steps;

    StepRecorder(TrainingRunRepository runs, StepRepository steps) {
        this.runs = runs;
        this.steps = steps;
    }

    /**
     * Saves the step and commits before returning.
     *
     * @param runId the model's manual run, or null to find or create it in the same transaction
     * @throws org.springframework.dao.DataAccessException when the database refuses the write
     */
    @Transactional
    public StepEntity record(UUID modelId, Long runId, long stepNumber, long optimizerStep,
            StepEntity.Measures measures, Map<String, Double> gradNorms) {
        Instant now = Instant.now();
        Long run = runId != null ? runId : runs
                .findFirstByModelIdAndKindOrderByIdAsc(modelId, TrainingRunEntity.MANUAL)
                .orElseGet(() -> runs.save(
                        new TrainingRunEntity(modelId, TrainingRunEntity.MANUAL, now)))
                .getId();
        StepEntity step = new StepEntity(run, modelId, stepNumber, optimizerStep, measures,
                gradNorms, now);
        return steps.saveAndFlush(step);
    }
}
