package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.ParameterBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Adam with bias correction (Kingma &amp; Ba 2015, Algorithm 1), for step t:
 *
 * <pre>
 * m = β1·m + (1 − β1)·g
 * v = β2·v + (1 − β2)·g²
 * m̂ = m / (1 − β1^t),  v̂ = v / (1 − β2^t)
 * W = W − η·m̂ / (√v̂ + ε)
 * </pre>
 *
 * <p>The update runs on the flat arrays of the parameters' {@link ParameterBuffer} in one pass
 * ({@link AdamKernel}); the state is kept flat too, and served per parameter. {@link AdamW} adds
 * decoupled weight decay to the same pass.
 */
public class Adam implements Optimizer {

    private final ParameterBuffer buffer;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay; // λ; 0 for plain Adam
    private final StateTensors moments1; // m [P]
    private final StateTensors moments2; // v [P]
    private final StateTensors deltas; // ΔW [P]

    /**
     * Packs the parameters into a {@link ParameterBuffer} unless they already are.
     *
     * @throws IllegalArgumentException when a beta is outside [0, 1) or epsilon is negative, or
     *     the parameters cannot be packed (none, a repeated one, mixed data types)
     */
    public Adam(List<Parameter> parameters, double beta1, double beta2, double epsilon) {
        this(parameters, beta1, beta2, epsilon, 0);
    }

    /** With decoupled weight decay λ (AdamW); λ is checked by the caller. */
    Adam(List<Parameter> parameters, double beta1, double beta2, double epsilon,
            double weightDecay) {
        checkUnit("beta1", beta1);
        checkUnit("beta2", beta2);
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, was " + epsilon);
        }
        this.buffer = ParameterBuffer.of(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.moments1 = new StateTensors("adam.m.", buffer);
        this.moments2 = new StateTensors("adam.v.", buffer);
        this.deltas = new StateTensors("delta.", buffer);
    }

    /**
     * One pass over all parameters together. With c = 1 − β^t, ΔW = −η·m̂/(√v̂ + ε) − η·λ·W is
     * computed as −(η·√c2 / c1)·m / (√v + ε·√c2) − η·λ·W, so that both corrections are scalars.
     *
     * @throws IllegalStateException when some parameters were packed into another buffer since
     *     this optimizer was made
     */
    @Override
    public List<INDArray> step(double learningRate, long step, double gradScale) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be at least 1, was " + step);
        }
        buffer.requireIntact();
        double correction1 = 1 - Math.pow(beta1, step);
        double rootCorrection2 = Math.sqrt(1 - Math.pow(beta2, step));

        AdamKernel.Step scalars = new AdamKernel.Step(beta1, beta2, gradScale,
                learningRate * rootCorrection2 / correction1, epsilon * rootCorrection2,
                learningRate * weightDecay);
        AdamKernel.run(buffer.grads(), moments1.flat(), moments2.flat(), buffer.values(),
                deltas.flat(), scalars);
        return deltas.all();
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        moments1.copyTo(state);
        moments2.copyTo(state);
        return state;
    }

    @Override
    public void restore(Map<String, INDArray> state) {
        moments1.check(state);
        moments2.check(state);
        moments1.copyFrom(state);
        moments2.copyFrom(state);
    }

    private static void checkUnit(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), was " + value);
        }
    }
}
