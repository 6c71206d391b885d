package dev.gradlens.training;

import dev.gradlens.model.ModelRepository;
import dev.gradlens.system.ApiException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Pageable;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Reads what runs stored: their steps, per-parameter gradient norms and evaluations. */
@Service
public class RunHistory {

    /** Steps one gradient-norm request may cover. */
    public static final int MAX_NORM_STEPS = 100_000;

    private final RunStore store;
    private final StepRepository steps;
    private final EvaluationRepository evaluations;
    private final TrainingRunRepository runs;
    private final ModelRepository models;

    RunHistory(RunStore store, StepRepository steps, EvaluationRepository evaluations,
            TrainingRunRepository runs, ModelRepository models) {
        this.store = store;
        this.steps = steps;
        this.evaluations = evaluations;
        this.runs = runs;
        this.models = models;
    }

    /**
     * A page of the run's steps in step order.
     *
     * @throws ApiException 404 for an unknown run
     */
    @Transactional(readOnly = true)
    public StepPage steps(Long runId, Pageable pageable) {
        store.find(runId);
        Pageable ordered = PageRequest.of(pageable.getPageNumber(), pageable.getPageSize(),
                Sort.by("stepNumber"));
        return StepPage.of(steps.findByRunId(runId, ordered));
    }

    /**
     * Per-parameter gradient norms over the run's steps numbered fromStep to toStep (the model's
     * step numbers, as in the step history), as columns.
     *
     * @throws ApiException 404 for an unknown run, 400 naming fromStep or toStep for a bad range
     */
    @Transactional(readOnly = true)
    public GradientNorms gradientNorms(Long runId, Long fromStep, Long toStep) {
        store.find(runId);
        long from = fromStep == null ? 1 : fromStep;
        long to = toStep == null ? Long.MAX_VALUE : toStep;
        if (from < 1) {
            throw ApiException.invalid("fromStep", "must be at least 1, was " + from);
        }
        if (to < from) {
            throw ApiException.invalid("toStep", "must not be below fromStep " + from);
        }
        long count = steps.countByRunIdAndStepNumberBetween(runId, from, to); // before loading
        if (count > MAX_NORM_STEPS) {
            throw ApiException.invalid("toStep", "the range holds " + count
                    + " steps; at most " + MAX_NORM_STEPS + " per request");
        }
        return GradientNorms.of(runId, steps.findByRunIdAndStepNumberBetweenOrderByStepNumberAsc(
                runId, from, to));
    }

    /**
     * The run's evaluations in order.
     *
     * @throws ApiException 404 for an unknown run
     */
    @Transactional(readOnly = true)
    public List<EvaluationView> evaluations(Long runId) {
        store.find(runId);
        return evaluations.findByRunIdOrderByRunStepAsc(runId).stream()
                .map(EvaluationEntity::view).toList();
    }

    /**
     * Every run of a model, oldest first (ids only for speed: see {@link RunService#view}).
     *
     * @throws ApiException 404 for an unknown model
     */
    @Transactional(readOnly = true)
    public List<Long> runIdsOf(UUID modelId) {
        if (!models.existsById(modelId)) {
            throw ApiException.notFound("id", "no model with id " + modelId);
        }
        return runs.findByModelIdOrderByIdAsc(modelId).stream()
                .map(TrainingRunEntity::getId).toList();
    }

    /**
     * Gradient norms of a range of steps, by column.
     *
     * @param stepNumbers the steps, ascending
     * @param gradNorm each step's global gradient norm
     * @param parameters each parameter's gradient norm per step, in the order of the range's
     *     first step (parameter order, unless that step was stored before schema version 4)
     */
    public record GradientNorms(Long runId, List<Long> stepNumbers, List<Double> gradNorm,
            Map<String, List<Double>> parameters) {

        static GradientNorms of(Long runId, List<StepEntity> rows) {
            List<Long> numbers = new ArrayList<>(rows.size());
            List<Double> global = new ArrayList<>(rows.size());
            Map<String, List<Double>> byName = new LinkedHashMap<>();
            for (StepEntity row : rows) {
                numbers.add(row.getStepNumber());
                global.add(EvaluationEntity.finiteOrNull(row.measures().gradNorm()));
                row.getGradNorms().forEach((name, norm) -> byName
                        .computeIfAbsent(name, n -> new ArrayList<>())
                        .add(norm == null ? null : EvaluationEntity.finiteOrNull(norm)));
            }
            return new GradientNorms(runId, numbers, global, byName);
        }
    }
}
