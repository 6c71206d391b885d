package dev.gradlens.training;

import dev.gradlens.model.LiveModel;
import dev.gradlens.model.ModelRepository;
import dev.gradlens.model.ModelService;
import dev.gradlens.nn.Batch;
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
 * the step runs under the model's lock, and it is answered only after its row is committed. If
 * the write fails, the weights, gradients and optimizer state are restored from a snapshot taken
 * before the step, so the model is as it was and the client gets an error.
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
     * @throws org.springframework.dao.DataAccessException when the step cannot be stored (the
     *     model is then restored to its state before the step)
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
        Snapshot snapshot = Snapshot.take(live, update);
        long stepNumber = live.lastStepNumber() + 1;
        StepEntity saved;
        long nanos;
        try {
            long start = System.nanoTime();
            StepResult result = live.trainer().step(List.of(batch), update);
            nanos = System.nanoTime() - start;

            saved = recorder.record(live.id(), live.manualRunId(), stepNumber, result.step(),
                    measuresOf(result, nanos), result.gradNorms());
            live.setManualRunId(saved.getRunId());
            live.stepRecorded(stepNumber, result.updateRatios());
        } catch (RuntimeException e) {
            snapshot.restore();
            throw e;
        }
        logStep(live, saved);
        return StepView.of(saved, nanos / 1e9);
    }

    static StepEntity.Measures measuresOf(StepResult result, long nanos) {
        return new StepEntity.Measures(result.loss(), result.gradNorm(), result.learningRate(),
                result.tokens(), nanos / 1_000_000, result.applied(), result.finite());
    }

    private static void logStep(LiveModel live, StepEntity step) {
        StepEntity.Measures m = step.measures();
        if (step.getStepNumber() % LOG_EVERY == 0 || !m.finite()) {
            log.info("model {} step {}: loss {} lr {} grad norm {} ({} ms){}", live.id(),
                    step.getStepNumber(), m.loss(), m.learningRate(), m.gradNorm(),
                    m.durationMs(), m.finite() ? "" : " not finite, nothing applied");
        }
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
