package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with momentum, in the PyTorch convention (no dampening, no
 * Nesterov): {@code v = μ·v + g; W = W − η·v}. With μ = 0 it is plain SGD.
 */
public final class Sgd implements Optimizer {

    private final List<Parameter> parameters;
    private final double momentum;
    private final StateTensors velocities;
    private final StateTensors deltas;

    /**
     * @param momentum μ in [0, 1)
     * @throws IllegalArgumentException when momentum is outside [0, 1)
     */
    public Sgd(List<Parameter> parameters, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
        }
        this.parameters = List.copyOf(parameters);
        this.momentum = momentum;
        this.velocities = new StateTensors("sgd.velocity.", parameters);
        this.deltas = new StateTensors("delta.", parameters);
    }

    @Override
    public List<INDArray> step(double learningRate, long step, double gradScale) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be at least 1, was " + step);
        }
        for (int i = 0; i < parameters.size(); i++) {
            Parameter p = parameters.get(i);
            INDArray v = velocities.get(i);
            INDArray delta = deltas.get(i);

            // v = μ·v + s·g   (s: clipping scale)
            v.muli(momentum);
            p.grad().mul(gradScale, delta);
            v.addi(delta);

            // ΔW = −η·v;  W = W + ΔW
            v.mul(-learningRate, delta);
            p.value().addi(delta);
        }
        return deltas.all();
    }

    @Override
    public Map<String, INDArray> state() {
        Map<String, INDArray> state = new LinkedHashMap<>();
        velocities.copyTo(state);
        return state;
    }

    @Override
    public void restore(Map<String, INDArray> state) {
        velocities.check(state);
        velocities.copyFrom(state);
    }
}
