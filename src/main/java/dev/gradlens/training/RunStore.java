package dev.gradlens.training;

import dev.gradlens.system.ApiException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The database side of background runs: each change of a run's status and each evaluation is
 * one committed transaction. A run whose row is gone (its model was deleted) is left alone.
 */
@Service
class RunStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final TrainingRunRepository runs;
    private final EvaluationRepository evaluations;
    private final StepRepository steps;

    RunStore(TrainingRunRepository runs, EvaluationRepository evaluations, StepRepository steps) {
        this.runs = runs;
        this.evaluations = evaluations;
        this.steps = steps;
    }

    /**
     * The run as the API shows it: live figures from {@code execution} while it is active,
     * otherwise from its stored steps and evaluations.
     *
     * @throws ApiException 404 naming id for an unknown run
     */
    @Transactional(readOnly = true)
    public RunView view(Long runId, RunExecution execution) {
        TrainingRunEntity run = find(runId);
        RunSpec spec = run.spec();
        if (spec == null) {
            return new RunView(run.getId(), run.getModelId(), run.getKind(), null, null, null,
                    (int) steps.countByRunId(runId), null, null, null, null, null, null, null,
                    lastLoss(runId), null, null, null, null, run.getCreatedAt(), null, null,
                    null);
        }
        return execution != null ? activeView(run, spec, execution.progress())
                : storedView(run, spec);
    }

    /**
     * The row of a run.
     *
     * @throws ApiException 404 naming id when there is none
     */
    @Transactional(readOnly = true)
    public TrainingRunEntity find(Long runId) {
        return runs.findById(runId).orElseThrow(() -> ApiException.notFound("id",
                "no run with id " + runId));
    }

    private RunView activeView(TrainingRunEntity run, RunSpec spec, RunProgress progress) {
        Double elapsed = progress.startedAt() == null ? null : progress.elapsedSeconds();
        return viewOf(run, spec, progress.status(), progress.currentStep(),
                progress.lastTrainLoss(), progress.lastValLoss(),
                new double[] {nan(progress.tokensPerSecond()), nan(elapsed),
                    nan(progress.etaSeconds(spec.steps()))});
    }

    private RunView storedView(TrainingRunEntity run, RunSpec spec) {
        long done = steps.countByRunId(run.getId());
        Double valLoss = evaluations.findFirstByRunIdOrderByRunStepDesc(run.getId())
                .map(e -> e.view().valLoss()).orElse(null);
        double elapsed = run.getStartedAt() == null || run.getFinishedAt() == null ? Double.NaN
                : Duration.between(run.getStartedAt(), run.getFinishedAt()).toMillis() / 1000.0;
        double tokens = (double) done * spec.batchSize() * spec.seqLen();
        return viewOf(run, spec, run.status(), (int) done, lastLoss(run.getId()), valLoss,
                new double[] {elapsed > 0 ? tokens / elapsed : Double.NaN, elapsed, Double.NaN});
    }

    private RunView viewOf(TrainingRunEntity run, RunSpec spec, RunStatus status, int done,
            Double trainLoss, Double valLoss, double[] rates) {
        RunRequest.ScheduleRequest schedule = run.getLrOverride() == null ? null
                : JSON.readValue(run.getLrOverride(), RunRequest.ScheduleRequest.class);
        return new RunView(run.getId(), run.getModelId(), run.getKind(), status.label(),
                spec.datasetId(), spec.steps(), done, spec.batchSize(), spec.seqLen(),
                spec.evalInterval(), spec.evalBatches(), spec.checkpointInterval(), spec.seed(),
                schedule, trainLoss, valLoss, orNull(rates[0]), orNull(rates[1]),
                orNull(rates[2]), run.getCreatedAt(), run.getStartedAt(), run.getFinishedAt(),
                run.getError());
    }

    private Double lastLoss(Long runId) {
        return steps.findFirstByRunIdOrderByStepNumberDesc(runId)
                .map(s -> EvaluationEntity.finiteOrNull(s.measures().loss())).orElse(null);
    }

    private static double nan(Double value) {
        return value == null ? Double.NaN : value;
    }

    private static Double orNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    @Transactional
    public void delete(Long runId) {
        runs.deleteById(runId);
    }

    @Transactional
    public TrainingRunEntity createQueued(UUID modelId, RunSpec spec, String lrOverride) {
        return runs.save(new TrainingRunEntity(modelId, spec, lrOverride, Instant.now()));
    }

    @Transactional
    public void markRunning(Long runId, Instant startedAt) {
        runs.findById(runId).ifPresent(run -> {
            run.setStatus(RunStatus.RUNNING);
            run.setStartedAt(startedAt);
        });
    }

    @Transactional
    public void markFinished(Long runId, RunStatus status, String error) {
        runs.findById(runId).ifPresent(run -> {
            run.setStatus(status);
            run.setFinishedAt(Instant.now());
            run.setError(error);
        });
    }

    @Transactional
    public EvaluationEntity saveEvaluation(EvaluationEntity evaluation) {
        return evaluations.save(evaluation);
    }

    /**
     * Marks runs left queued or running by a previous process as interrupted.
     *
     * @return how many there were
     */
    @Transactional
    public int interruptLeftovers() {
        List<TrainingRunEntity> left = runs.findByStatusIn(
                List.of(RunStatus.QUEUED.label(), RunStatus.RUNNING.label()));
        for (TrainingRunEntity run : left) {
            run.setStatus(RunStatus.INTERRUPTED);
            run.setFinishedAt(Instant.now());
            run.setError("the service stopped before the run ended");
        }
        return left.size();
    }
}
