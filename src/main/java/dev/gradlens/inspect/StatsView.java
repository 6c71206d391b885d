package dev.gradlens.inspect;

import java.util.List;
import java.util.UUID;

/**
 * Statistics of every parameter's gradient or weights, in parameter order.
 *
 * @param kind {@code "gradient"} or {@code "parameter"}
 * @param stepNumber the model's latest recorded step (0 before the first: gradients are zeros)
 */
public record StatsView(
        UUID modelId,
        String kind,
        long stepNumber,
        int bins,
        List<TensorStats> parameters) {
}
