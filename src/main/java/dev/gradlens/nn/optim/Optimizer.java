package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An update rule over a fixed list of parameters.
 *
 * <p>An optimizer allocates its state tensors (shaped like the parameters) once, at construction,
 * and reuses them, together with one ΔW buffer per parameter, at every step. All arithmetic is
 * done in place on whole tensors.
 */
public interface Optimizer {

    /**
     * Applies one update, in place, to every parameter's value from its gradient. The gradients
     * themselves are read, never written.
     *
     * @param learningRate η of this step
     * @param step 1-based number of this update (Adam's bias correction uses it)
     * @param gradScale factor applied to every gradient before use (global-norm clipping); 1 for
     *     none
     * @return the update ΔW of each parameter, in parameter order; the buffers are reused by the
     *     next call
     * @throws IllegalArgumentException when {@code step} is below 1
     */
    List<INDArray> step(double learningRate, long step, double gradScale);

    /** Copies of the state tensors by name, for checkpoints; empty for stateless rules. */
    Map<String, INDArray> state();

    /**
     * Copies the tensors of a {@link #state()} into this optimizer's state.
     *
     * @throws IllegalArgumentException when a tensor is missing or has the wrong shape; then no
     *     state has changed
     */
    void restore(Map<String, INDArray> state);

    /**
     * The optimizer a configuration names.
     *
     * @throws dev.gradlens.nn.InvalidConfigException when the configuration is invalid
     */
    static Optimizer create(OptimizerConfig config, List<Parameter> parameters) {
        config.validate();
        return switch (config.type()) {
            case SGD -> new Sgd(parameters, config.momentum());
            case ADAM -> new Adam(parameters, config.beta1(), config.beta2(), config.epsilon());
            case ADAMW -> new AdamW(parameters, config.beta1(), config.beta2(), config.epsilon(),
                    config.weightDecay());
        };
    }
}
