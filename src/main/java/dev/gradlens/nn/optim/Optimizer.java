package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An update rule over a fixed list of parameters.
 *
 * <p>An optimizer packs its parameters into a {@link dev.gradlens.nn.ParameterBuffer} (or uses
 * the one they are already packed into) and allocates its state once, at construction, as flat
 * arrays laid out like that buffer, together with a flat ΔW buffer. All arithmetic is done in
 * place on the whole flat arrays, a few operations per step for the whole model.
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
     * @return the update ΔW of each parameter, in parameter order: views of one flat buffer that
     *     the next call overwrites
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
