package dev.gradlens.training;

import dev.gradlens.model.LiveModel;
import dev.gradlens.model.ModelRepository;
import dev.gradlens.model.ModelService;
import dev.gradlens.nn.Batch;
import dev.gradlens.nn.optim.PendingStep;
import dev.gradlens.nn.optim.StepResult;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Runs single training steps and reads the step history.
 *
 * <p>A step is atomic as the client sees it: the batch is checked before the model is touched,
 * the step runs under the model's lock, and it is answered only after its row is committed. The
 * gradients are computed first; the optimizer update runs only after the step's row is flushed,
 * inside the same transaction. If the write fails, nothing was applied: weights, optimizer state
 * and step counter are as they were (the gradients are those of the failed step) and the client
 * gets an error. If the commit itself fails after the flush succeeded, the model is one update
 * ahead of the database.
 */
@Service
public class TrainingService {

    private static final Logger log = LoggerFactory.getLogger(TrainingService.class);
    private static final int LOG_EVERY = 10;
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;

    private final ModelService models;
    private final ModelRepository modelRows;
    private final StepRecorder recorder;
    private final StepRepository steps;
    private final GradlensProperties properties;

    TrainingService(ModelService models, ModelRepository modelRows, StepRecorder recorder,
            StepRepository steps, GradlensProperties properties) {
        this.models = models;
        this.modelRows = modelRows;
        this.recorder = recorder;
        this.steps = steps;
        this.properties = properties;
    }

    /**
     * Runs one step on the batch of {@code request} and stores it.
     *
     * @throws ApiException 404 for an unknown model, 409 when it is not loaded or a background
     *     run trains it, 400 or 413 for a batch that does not fit the model or the limits
     * @throws org.springframework.dao.DataAccessException when the step cannot be stored (no
     *     update is then applied; the gradients are those of the failed step)
     */
    public StepView step(UUID modelId, StepRequest request) {
        LiveModel live = models.requireLive(modelId);
        if (live.activeRun() != null) {
            throw ApiException.conflict("id", "model " + modelId + " is being trained by run "
                    + live.activeRun() + "; post steps when it has ended (or cancel it)");
        }
        Batch batch = StepBatches.of(request, live, properties.getLimits());
        boolean update = request.update() == null || request.update();
        return live.locked(() -> runLocked(live, batch, update));
    }

    private StepView runLocked(LiveModel live, Batch batch, boolean update) {
        long stepNumber = live.lastStepNumber() + 1;
        StepEntity saved = train(recorder, live, live.manualRunId(), stepNumber, batch, update);
        live.setManualRunId(saved.getRunId());
        logStep(live, saved);
        return StepView.of(saved);
    }

    /**
     * Computes the gradients, then stores the step and applies the update in one transaction;
     * on success tells the model the step is recorded. Call under the model's lock.
     *
     * @return the stored step
     * @throws org.springframework.dao.DataAccessException when the step cannot be stored; then
     *     no weight, optimizer state or step counter has changed (the gradients are those of the
     *     failed step)
     */
    static StepEntity train(StepRecorder recorder, LiveModel live, Long runId, long stepNumber,
            Batch batch, boolean update) {
        long start = System.nanoTime();
        PendingStep pending = live.trainer().computeGradients(List.of(batch));
        long computeNanos = System.nanoTime() - start;
        StepRecorder.Recorded recorded = recorder.record(live.id(), runId, stepNumber,
                pending.stepAfter(update), measuresOf(pending, update, computeNanos),
                pending.gradNorms(), row -> {
                    long applyStart = System.nanoTime();
                    StepResult result = live.trainer().apply(pending, update);
                    row.setDuration(computeNanos + System.nanoTime() - applyStart);
                    if (!result.finite()) {
                        row.markNotFinite();
                    }
                    return result;
                });
        live.stepRecorded(stepNumber, recorded.result().updateRatios());
        return recorded.step();
    }

    static StepEntity.Measures measuresOf(PendingStep pending, boolean update, long nanos) {
        return new StepEntity.Measures(pending.loss(), pending.gradNorm(),
                pending.learningRate(), pending.tokens(), nanos / 1_000_000,
                pending.appliesUpdate(update), pending.finite());
    }

    private static void logStep(LiveModel live, StepEntity step) {
        StepEntity.Measures m = step.measures();
        if (step.getStepNumber() % LOG_EVERY == 0 || !m.finite()) {
            log.info("model {} step {}: loss {} lr {} grad norm {} ({} ms){}", live.id(),
                    step.getStepNumber(), m.loss(), m.learningRate(), m.gradNorm(),
                    m.durationMs(), finiteNote(m));
        }
    }

    private static String finiteNote(StepEntity.Measures m) {
        if (m.finite()) {
            return "";
        }
        return m.applied() ? " update not finite, the weights have diverged"
                : " not finite, nothing applied";
    }

    /**
     * The page request for {@code page} (from 0, default 0) and {@code size} (1 to 500, default
     * 50), whose first row must lie within the range the database query can address.
     *
     * @throws ApiException 400 naming {@code page} or {@code size}
     */
    static Pageable pageOf(Integer page, Integer size) {
        int number = page == null ? 0 : page;
        int rows = size == null ? DEFAULT_PAGE_SIZE : size;
        if (rows < 1 || rows > MAX_PAGE_SIZE) {
            throw ApiException.invalid("size", "must be between 1 and " + MAX_PAGE_SIZE
                    + ", was " + rows);
        }
        if (number < 0 || (long) number * rows > Integer.MAX_VALUE) {
            throw ApiException.invalid("page", "must be between 0 and "
                    + Integer.MAX_VALUE / rows + " for pages of " + rows + ", was " + number);
        }
        return PageRequest.of(number, rows);
    }

    /**
     * A page of the model's recorded steps, ordered by step number whatever sort was asked.
     * Works for models that are stored but not loaded.
     *
     * @throws ApiException 404 for an unknown model
     */
    @Transactional(readOnly = true)
    public StepPage history(UUID modelId, Pageable pageable) {
        if (!modelRows.existsById(modelId)) {
            throw ApiException.notFound("id", "no model with id " + modelId);
        }
        Pageable ordered = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
                Sort.by("stepNumber"));
        return StepPage.of(steps.findByModelId(modelId, ordered));
    }
}
