package dev.gradlens.training;

import java.time.Instant;

/**
 * What an active run has done so far, written by its training thread and read by requests and
 * event streams. A stop request (cancel, or shutdown of the service) is noticed between steps.
 */
final class RunProgress {

    private volatile RunStatus status = RunStatus.QUEUED;
    private volatile RunStatus stopAs;
    private volatile int currentStep;
    private volatile Double lastTrainLoss;
    private volatile Double lastValLoss;
    private volatile long tokens;
    private volatile long startNanos;
    private volatile Instant startedAt;

    void started() {
        startNanos = System.nanoTime();
        startedAt = Instant.now();
        status = RunStatus.RUNNING;
    }

    void stepped(int runStep, double loss, long stepTokens) {
        currentStep = runStep;
        lastTrainLoss = EvaluationEntity.finiteOrNull(loss);
        tokens += stepTokens;
    }

    void evaluated(double valLoss) {
        lastValLoss = EvaluationEntity.finiteOrNull(valLoss);
    }

    void ended(RunStatus end) {
        status = end;
    }

    /** Asks the run to stop after its current step, ending with {@code end}. */
    void requestStop(RunStatus end) {
        if (stopAs == null) {
            stopAs = end;
        }
    }

    RunStatus stopRequested() {
        return stopAs;
    }

    RunStatus status() {
        return status;
    }

    int currentStep() {
        return currentStep;
    }

    Double lastTrainLoss() {
        return lastTrainLoss;
    }

    Double lastValLoss() {
        return lastValLoss;
    }

    Instant startedAt() {
        return startedAt;
    }

    /** Seconds since the run started training; 0 before. */
    double elapsedSeconds() {
        return startedAt == null ? 0 : (System.nanoTime() - startNanos) / 1e9;
    }

    /** Target tokens trained on per second of the run so far; null before the first step. */
    Double tokensPerSecond() {
        double seconds = elapsedSeconds();
        return tokens == 0 || seconds <= 0 ? null : tokens / seconds;
    }

    /** Estimated seconds left at the mean pace so far; null before the first step. */
    Double etaSeconds(int totalSteps) {
        int done = currentStep;
        return done == 0 ? null : elapsedSeconds() / done * (totalSteps - done);
    }
}
