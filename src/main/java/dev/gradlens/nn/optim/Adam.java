package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.ParameterBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.floating.Sqrt;
import org.nd4j.linalg.factory.Nd4j;

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
 * <p>The update runs on the flat arrays of the parameters' {@link ParameterBuffer} with
 * whole-buffer operations; the state is kept flat too, and served per parameter. Subclasses may
 * add a term to ΔW through {@link #addDecay}; {@link AdamW} does.
 */
public class Adam implements Optimizer {

    private final ParameterBuffer buffer;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final StateTensors moments1; // m [P]
    private final StateTensors moments2; // v [P]
    private final StateTensors deltas; // ΔW [P]
    private final INDArray squares; // [P] scratch for g²

    /**
     * Packs the parameters into a {@link ParameterBuffer} unless they already are.
     *
     * @throws IllegalArgumentException when a beta is outside [0, 1) or epsilon is negative, or
     *     the parameters cannot be packed (none, a repeated one, mixed data types)
     */
    public Adam(List<Parameter> parameters, double beta1, double beta2, double epsilon) {
        checkUnit("beta1", beta1);
        checkUnit("beta2", beta2);
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, was " + epsilon);
        }
        this.buffer = ParameterBuffer.of(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.moments1 = new StateTensors("adam.m.", buffer);
        this.moments2 = new StateTensors("adam.v.", buffer);
        this.deltas = new StateTensors("delta.", buffer);
        this.squares = buffer.zeros();
    }

    /**
     * Eleven whole-buffer operations for all parameters together (ten for plain Adam).
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
        double correction2 = 1 - Math.pow(beta2, step);
        INDArray delta = deltas.flat();

        updateMoments(gradScale);

        writeDelta(learningRate, correction1, correction2);

        addDecay(buffer.values(), delta, learningRate);

        BlasOps.axpy(1.0, delta, buffer.values());
        return deltas.all();
    }

    /**
     * Hook for a decay term: adds it to {@code delta} in place. Adam adds nothing.
     *
     * @param weights all of W [P], before this update
     * @param delta all of ΔW so far [P]
     */
    protected void addDecay(INDArray weights, INDArray delta, double learningRate) {
    }

    /** m = β1·m + (1 − β1)·s·g;  v = β2·v + (1 − β2)·s²·g²  (s: clipping scale), all [P]. */
    private void updateMoments(double gradScale) {
        INDArray g = buffer.grads();
        INDArray m = moments1.flat();
        INDArray v = moments2.flat();

        BlasOps.scal(beta1, m);
        BlasOps.axpy((1 - beta1) * gradScale, g, m);

        g.mul(g, squares);
        BlasOps.scal(beta2, v);
        BlasOps.axpy((1 - beta2) * gradScale * gradScale, squares, v);
    }

    /**
     * ΔW = −η·m̂/(√v̂ + ε) = −(η / c1)·m / (√v / √c2 + ε), with c = 1 − β^t, computed as
     * −(η·√c2 / c1)·m / (√v + ε·√c2) so that both corrections are scalars; all [P].
     */
    private void writeDelta(double learningRate, double correction1, double correction2) {
        INDArray delta = deltas.flat();
        double rootCorrection2 = Math.sqrt(correction2);

        Nd4j.exec(new Sqrt(moments2.flat(), delta));
        delta.addi(epsilon * rootCorrection2);

        delta.rdivi(moments1.flat());
        BlasOps.scal(-learningRate * rootCorrection2 / correction1, delta);
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
