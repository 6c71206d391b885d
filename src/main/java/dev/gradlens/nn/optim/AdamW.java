package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019, Algorithm 2 with the schedule
 * multiplier folded into η, as in PyTorch): {@code W = W − η·λ·W − η·m̂/(√v̂ + ε)}, where W on the
 * right is the value before this step. The decay never enters the moments.
 */
public final class AdamW extends Adam {

    /**
     * @param weightDecay λ, at least 0
     * @throws IllegalArgumentException when a beta is outside [0, 1), or epsilon or weightDecay
     *     is negative
     */
    public AdamW(List<Parameter> parameters, double beta1, double beta2, double epsilon,
            double weightDecay) {
        super(parameters, beta1, beta2, epsilon, checkDecay(weightDecay));
    }

    private static double checkDecay(double weightDecay) {
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weightDecay must be >= 0, was " + weightDecay);
        }
        return weightDecay;
    }
}
