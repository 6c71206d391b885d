package dev.gradlens.training;

import dev.gradlens.checkpoint.Checkpoint;
import dev.gradlens.checkpoint.TokenizerSpec;
import dev.gradlens.model.LiveModel;
import dev.gradlens.nn.Batch;
import dev.gradlens.nn.optim.Trainer;
import dev.gradlens.text.BatchSampler;
import dev.gradlens.text.Corpus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One background run on its training thread: sample a batch, take a step under the model's lock,
 * store it, publish it; evaluate and checkpoint on their intervals; at the end evaluate (unless
 * the last step just did), checkpoint and record how the run ended. A stop request is honoured
 * between steps. The model's lock is held for one step (or evaluation) at a time, so inspection,
 * generation and checkpoints on demand interleave with the run.
 */
final class RunExecution implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(RunExecution.class);

    private final RunService service;
    private final Long runId;
    private final LiveModel live;
    private final RunSpec spec;
    private final Corpus corpus;
    private final RunProgress progress = new RunProgress();

    private Trainer modelTrainer;
    private int lastEvaluated;

    RunExecution(RunService service, Long runId, LiveModel live, RunSpec spec, Corpus corpus) {
        this.service = service;
        this.runId = runId;
        this.live = live;
        this.spec = spec;
        this.corpus = corpus;
    }

    RunProgress progress() {
        return progress;
    }

    Long runId() {
        return runId;
    }

    LiveModel live() {
        return live;
    }

    @Override
    public void run() {
        RunStatus end = RunStatus.COMPLETED;
        String error = null;
        try {
            end = train();
        } catch (RuntimeException e) {
            log.error("Run {} of model {} failed", runId, live.id(), e);
            end = RunStatus.FAILED;
            error = e.getMessage() != null ? e.getMessage() : e.toString();
        } finally {
            service.finished(this, end, error);
        }
    }

    private RunStatus train() {
        if (progress.stopRequested() != null) {
            return progress.stopRequested();
        }
        progress.started();
        service.store().markRunning(runId, progress.startedAt());
        swapInRunTrainer();
        try {
            return trainSteps();
        } finally {
            live.locked(() -> {
                restoreModelTrainer();
                return null;
            });
        }
    }

    private RunStatus trainSteps() {
        BatchSampler batches = corpus.sampler(Corpus.Split.TRAIN, spec.batchSize(), spec.seqLen(),
                spec.seed());
        int logEvery = Math.max(1, service.properties().getRuns().getLogInterval());
        for (int runStep = 1; runStep <= spec.steps(); runStep++) {
            if (progress.stopRequested() != null) {
                finishWork();
                return progress.stopRequested();
            }
            StepEntity step = step(batches.next(), runStep);
            if (runStep % logEvery == 0 || runStep == spec.steps()) {
                logStep(step, runStep);
            }
            if (spec.evalInterval() > 0 && runStep % spec.evalInterval() == 0) {
                evaluate(runStep, step.getStepNumber());
            }
            if (spec.checkpointInterval() > 0 && runStep % spec.checkpointInterval() == 0
                    && runStep < spec.steps()) {
                checkpoint(runStep);
            }
        }
        finishWork();
        return RunStatus.COMPLETED;
    }

    /** The final evaluation (when steps ran since the last one) and checkpoint. */
    private void finishWork() {
        int done = progress.currentStep();
        if (done > 0 && lastEvaluated != done) {
            evaluate(done, live.lastStepNumber());
        }
        if (done > 0) {
            checkpoint(done);
        }
    }

    private StepEntity step(Batch batch, int runStep) {
        StepEntity saved = live.locked(() -> TrainingService.train(service.recorder(), live,
                runId, live.lastStepNumber() + 1, batch, true));
        StepEntity.Measures m = saved.measures();
        progress.stepped(runStep, m.loss(), m.tokens());
        service.events().step(runId, runStep, stepEvent(saved, runStep));
        return saved;
    }

    /** The data of a {@code step} event; numbers that are not finite are null. */
    record StepEvent(int runStep, long stepNumber, Double loss, Double gradNorm,
            double learningRate, long durationMs, Double tokensPerSecond) {
    }

    private StepEvent stepEvent(StepEntity step, int runStep) {
        StepEntity.Measures m = step.measures();
        return new StepEvent(runStep, step.getStepNumber(), EvaluationEntity.finiteOrNull(m.loss()),
                EvaluationEntity.finiteOrNull(m.gradNorm()), m.learningRate(), m.durationMs(),
                progress.tokensPerSecond());
    }

    private void evaluate(int runStep, long stepNumber) {
        double[] losses = live.locked(() -> new double[] {
            live.trainer().evaluate(evalBatches(Corpus.Split.TRAIN)),
            live.trainer().evaluate(evalBatches(Corpus.Split.VALIDATION))});
        EvaluationEntity row = service.store().saveEvaluation(new EvaluationEntity(runId,
                stepNumber, runStep, losses[0], losses[1], Instant.now()));
        lastEvaluated = runStep;
        progress.evaluated(losses[1]);
        log.info("run {} step {}/{}: train loss {} val loss {}", runId, runStep, spec.steps(),
                String.format("%.4f", losses[0]), String.format("%.4f", losses[1]));
        service.events().publish(runId, "eval", row.view());
    }

    /** The same batches at every evaluation, so the losses are comparable over the run. */
    private List<Batch> evalBatches(Corpus.Split split) {
        return corpus.sampler(split, spec.batchSize(), spec.seqLen(), spec.seed() + 1)
                .next(spec.evalBatches());
    }

    private void checkpoint(int runStep) {
        if (live.tokenizer() == null) {
            return;
        }
        Checkpoint checkpoint = live.locked(this::capture);
        Path file = service.models().saveCheckpoint(live.id(), checkpoint);
        service.events().publish(runId, "checkpoint", Map.of("runStep", runStep,
                "step", checkpoint.step(), "file", file.toString()));
    }

    /** The model's state with the model's own optimizer settings (not a run's override). */
    private Checkpoint capture() {
        Trainer trainer = live.trainer();
        return new Checkpoint(live.transformer().config(), modelTrainer.config(),
                TokenizerSpec.of(live.tokenizer()), trainer.stepCount(),
                Checkpoint.copyWeights(live.transformer()), trainer.state());
    }

    private void swapInRunTrainer() {
        live.locked(() -> {
            modelTrainer = live.trainer();
            if (spec.optimizer() != null) {
                Trainer runTrainer = new Trainer(live.transformer(), spec.optimizer());
                runTrainer.restore(modelTrainer.state(), modelTrainer.stepCount());
                live.replaceTrainer(runTrainer);
            }
            return null;
        });
    }

    private void restoreModelTrainer() {
        Trainer current = live.trainer();
        if (current != modelTrainer) {
            modelTrainer.restore(current.state(), current.stepCount());
            live.replaceTrainer(modelTrainer);
        }
    }

    private void logStep(StepEntity step, int runStep) {
        StepEntity.Measures m = step.measures();
        log.info("run {} step {}/{}: loss {} lr {} grad norm {} ({} ms)", runId, runStep,
                spec.steps(), String.format("%.4f", m.loss()),
                String.format("%.3g", m.learningRate()), String.format("%.4f", m.gradNorm()),
                m.durationMs());
    }
}
