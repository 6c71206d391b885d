package dev.gradlens.training;

import dev.gradlens.nn.optim.StepResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
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

    /** The stored step and what {@code afterFlush} returned. */
    record Recorded(StepEntity step, StepResult result) {
    }

    /**
     * Saves and flushes the step, then runs {@code afterFlush} (the optimizer update) in the same
     * transaction, and commits before returning. When the save or flush fails, afterFlush has
     * not run. Changes afterFlush makes to the managed entity are stored with the commit.
     *
     * @param runId the model's manual run, or null to find or create it in the same transaction
     * @throws org.springframework.dao.DataAccessException when the database refuses the write
     */
    @Transactional
    public Recorded record(UUID modelId, Long runId, long stepNumber, long optimizerStep,
            StepEntity.Measures measures, Map<String, Double> gradNorms,
            Function<StepEntity, StepResult> afterFlush) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS); // what the database keeps
        Long run = runId != null ? runId : runs
                .findFirstByModelIdAndKindOrderByIdAsc(modelId, TrainingRunEntity.MANUAL)
                .orElseGet(() -> runs.save(
                        new TrainingRunEntity(modelId, TrainingRunEntity.MANUAL, now)))
                .getId();
        StepEntity step = new StepEntity(run, modelId, stepNumber, optimizerStep, measures,
                gradNorms, now);
        StepEntity saved = steps.saveAndFlush(step);
        return new Recorded(saved, afterFlush.apply(saved));
    }
}
