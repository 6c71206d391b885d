package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
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
 * <p>Subclasses may add a term to ΔW through {@link #addDecay}; {@link AdamW} does.
 */
public class Adam implements Optimizer {

    private final List<Parameter> parameters;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final StateTensors moments1;
    private final StateTensors moments2;
    private final StateTensors deltas;
    private final StateTensors scratch;

    /**
     * @throws IllegalArgumentException when a beta is outside [0, 1) or epsilon is negative
     */
    public Adam(List<Parameter> parameters, double beta1, double beta2, double epsilon) {
        checkUnit("beta1", beta1);
        checkUnit("beta2", beta2);
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, was " + epsilon);
        }
        this.parameters = List.copyOf(parameters);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.moments1 = new StateTensors("adam.m.", parameters);
        this.moments2 = new StateTensors("adam.v.", parameters);
        this.deltas = new StateTensors("delta.", parameters);
        this.scratch = new StateTensors("scratch.", parameters);
    }

    @Override
    public List<INDArray> step(double learningRate, long step, double gradScale) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be at least 1, was " + step);
        }
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        for (int i = 0; i < parameters.size(); i++) {
            updateMoments(i, gradScale);
            writeDelta(i, learningRate, correction1, correction2);
            addDecay(parameters.get(i).value(), deltas.get(i), scratch.get(i), learningRate);
            parameters.get(i).value().addi(deltas.get(i));
        }
        return deltas.all();
    }

    /**
     * Hook for a decay term: adds it to {@code delta} in place. Adam adds nothing.
     *
     * @param weights W before this update
     * @param delta ΔW so far
     * @param temp a free buffer shaped like W
     */
    protected void addDecay(INDArray weights, INDArray delta, INDArray temp, double learningRate) {
    }

    /** m = β1·m + (1 − β1)·s·g;  v = β2·v + (1 − β2)·(s·g)²  (s: clipping scale). */
    private void updateMoments(int i, double gradScale) {
        INDArray g = parameters.get(i).grad();
        INDArray m = moments1.get(i);
        INDArray v = moments2.get(i);
        INDArray temp = scratch.get(i);

        m.muli(beta1);
        g.mul((1 - beta1) * gradScale, temp);
        m.addi(temp);

        v.muli(beta2);
        g.mul(g, temp);
        temp.muli((1 - beta2) * gradScale * gradScale);
        v.addi(temp);
    }

    /** ΔW = −η·m̂/(√v̂ + ε) = −(η / c1)·m / (√v / √c2 + ε), with c = 1 − β^t. */
    private void writeDelta(int i, double learningRate, double correction1, double correction2) {
        INDArray delta = deltas.get(i);

        Nd4j.exec(new Sqrt(moments2.get(i), delta));
        delta.muli(1 / Math.sqrt(correction2));
        delta.addi(epsilon);

        delta.rdivi(moments1.get(i));
        delta.muli(-learningRate / correction1);
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
