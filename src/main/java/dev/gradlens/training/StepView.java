package dev.gradlens.training;

import java.time.Instant;
import java.util.Map;

/**
 * A training step as the API shows it. Numbers that are not finite (a diverged step) are null.
 *
 * @param stepNumber the model's count of recorded steps, this one included
 * @param optimizerStep updates applied to the weights so far
 * @param tokensPerSecond counted target tokens over the step's duration
 * @param applied whether the weights changed
 * @param finite false when the loss or a gradient was NaN or infinite (nothing applied)
 * @param gradNorms each parameter's gradient L2 norm, in parameter order
 */
public record StepView(
        long stepNumber,
        Long runId,
        long optimizerStep,
        Double loss,
        Double gradNorm,
        Double learningRate,
        long tokens,
        long durationMs,
        Double tokensPerSecond,
        boolean applied,
        boolean finite,
        Instant createdAt,
        Map<String, Double> gradNorms) {

    /** The stored step; tokens per second from its unrounded duration (null when it is 0). */
    static StepView of(StepEntity step) {
        StepEntity.Measures m = step.measures();
        double seconds = step.durationSeconds();
        Double perSecond = seconds > 0 ? m.tokens() / seconds : null;
        return new StepView(step.getStepNumber(), step.getRunId(), step.getOptimizerStep(),
                m.loss(), m.gradNorm(), m.learningRate(), m.tokens(), m.durationMs(), perSecond,
                m.applied(), m.finite(), step.getCreatedAt(), step.getGradNorms());
    }
}
