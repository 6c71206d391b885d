package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.ParameterBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Stochastic gradient descent with momentum, in the PyTorch convention (no dampening, no
 * Nesterov): {@code v = μ·v + g; W = W − η·v}. With μ = 0 it is plain SGD. The update runs on
 * the flat arrays of the parameters' {@link ParameterBuffer} with whole-buffer operations.
 */
public final class Sgd implements Optimizer {

    private final ParameterBuffer buffer;
    private final double momentum;
    private final StateTensors velocities; // v [P]
    private final StateTensors deltas; // ΔW [P]

    /**
     * Packs the parameters into a {@link ParameterBuffer} unless they already are.
     *
     * @param momentum μ in [0, 1)
     * @throws IllegalArgumentException when momentum is outside [0, 1), or the parameters cannot
     *     be packed (none, a repeated one, mixed data types)
     */
    public Sgd(List<Parameter> parameters, double momentum) {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), was " + momentum);
        }
        this.buffer = ParameterBuffer.of(parameters);
        this.momentum = momentum;
        this.velocities = new StateTensors("sgd.velocity.", buffer);
        this.deltas = new StateTensors("delta.", buffer);
    }

    /**
     * Four whole-buffer operations for all parameters together.
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
        INDArray v = velocities.flat(); // [P]
        INDArray delta = deltas.flat(); // [P]

        // v = μ·v + s·g   (s: clipping scale)
        BlasOps.scal(momentum, v);
        BlasOps.axpy(gradScale, buffer.grads(), v);

        // ΔW = −η·v;  W = W + ΔW
        v.mul(-learningRate, delta);
        BlasOps.axpy(1.0, delta, buffer.values());
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
