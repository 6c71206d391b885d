package dev.gradlens.nn.optim;

import java.util.Map;

/**
 * What one training step measured.
 *
 * @param step the step counter after this step (unchanged when the update was not applied)
 * @param loss mean cross-entropy over all counted targets of the step (token-weighted over
 *     micro-batches)
 * @param gradNorm global L2 norm of the gradient before clipping
 * @param learningRate learning rate used (or that would have been used)
 * @param tokens number of counted target tokens
 * @param applied whether weights and optimizer state changed
 * @param finite false when the loss or some gradient was NaN or infinite (then nothing is
 *     applied), or when the applied update itself was not finite (a learning rate too large for
 *     the data type: then {@code applied} is true and some weights are no longer finite)
 * @param gradNorms each parameter's gradient L2 norm, in parameter order
 * @param updateRatios each parameter's ‖ΔW‖/‖W‖ of this update (zeros when not applied)
 */
public record StepResult(
        long step,
        double loss,
        double gradNorm,
        double learningRate,
        long tokens,
        boolean applied,
        boolean finite,
        Map<String, Double> gradNorms,
        Map<String, Double> updateRatios) {
}
