package dev.gradlens.nn.optim;

import java.util.Map;

/**
 * Gradients computed by {@link Trainer#computeGradients} and not yet applied: what the step
 * measured before any weight or optimizer state changed. Only the Trainer that made it, and only
 * until its next {@code computeGradients}, can {@link Trainer#apply apply} it.
 *
 * @param stepCount the trainer's count of applied updates when the gradients were computed
 * @param loss token-weighted mean cross-entropy over the micro-batches
 * @param gradNorm global L2 norm of the gradient before clipping
 * @param learningRate learning rate an update would use
 * @param tokens number of counted target tokens
 * @param finite false when the loss or some gradient was NaN or infinite
 * @param gradNorms each parameter's gradient L2 norm, in parameter order
 */
public record PendingStep(
        long stepCount,
        double loss,
        double gradNorm,
        double learningRate,
        long tokens,
        boolean finite,
        Map<String, Double> gradNorms) {

    /** Whether {@link Trainer#apply} with this {@code update} flag changes weights and state. */
    public boolean appliesUpdate(boolean update) {
        return finite && update;
    }

    /** The trainer's step counter after {@link Trainer#apply} with this {@code update} flag. */
    public long stepAfter(boolean update) {
        return appliesUpdate(update) ? stepCount + 1 : stepCount;
    }
}
