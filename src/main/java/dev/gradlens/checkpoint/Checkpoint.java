package dev.gradlens.checkpoint;

import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.TrainableModel;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.nn.optim.Trainer;
import dev.gradlens.text.Tokenizer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Everything needed to resume training a model or to sample from it: the configurations, the
 * tokenizer, the optimizer's step counter, the weights under their public parameter names and
 * the optimizer state under {@link Trainer#state()}'s names ({@code adam.m.<parameter>}, ...).
 *
 * <p>The maps keep their iteration order (parameter order for captured checkpoints) and are
 * unmodifiable; the arrays themselves are not copied again, so callers must not change them.
 *
 * @param config the model's configuration
 * @param optimizerConfig the trainer's configuration
 * @param tokenizer the tokenizer the model was trained with
 * @param step optimizer steps applied so far
 * @param weights parameter values by public name
 * @param optimizerState optimizer state tensors by name; empty for plain SGD
 */
public record Checkpoint(
        TransformerConfig config,
        OptimizerConfig optimizerConfig,
        TokenizerSpec tokenizer,
        long step,
        Map<String, INDArray> weights,
        Map<String, INDArray> optimizerState) {

    /**
     * @throws IllegalArgumentException when a field is null, the step is negative, there are no
     *     weights, a name is both a weight and an optimizer tensor, or the tokenizer's vocabulary
     *     size differs from the model's
     */
    public Checkpoint {
        require(config != null && optimizerConfig != null && tokenizer != null,
                "config, optimizerConfig and tokenizer must not be null");
        require(weights != null && optimizerState != null, "weights and state must not be null");
        require(step >= 0, "step must not be negative, was " + step);
        require(!weights.isEmpty(), "a checkpoint needs at least one weight");
        require(tokenizer.vocabSize() == config.vocabSize(), "tokenizer has "
                + tokenizer.vocabSize() + " ids but the model's vocabSize is "
                + config.vocabSize());
        for (String name : optimizerState.keySet()) {
            require(!weights.containsKey(name), name + " is both a weight and optimizer state");
        }
        weights = Collections.unmodifiableMap(new LinkedHashMap<>(weights));
        optimizerState = Collections.unmodifiableMap(new LinkedHashMap<>(optimizerState));
    }

    /** A model, its trainer and its tokenizer, rebuilt from a checkpoint. */
    public record Restored(Transformer model, Trainer trainer, Tokenizer tokenizer) {
    }

    /**
     * A checkpoint of a model, its trainer and its tokenizer, with copies of the weights and the
     * optimizer state taken now. Call it between training steps: model and trainer are not
     * thread-safe.
     *
     * @throws IllegalArgumentException when the tokenizer cannot be described (see
     *     {@link TokenizerSpec#of}) or does not fit the model
     */
    public static Checkpoint capture(Transformer model, Trainer trainer, Tokenizer tokenizer) {
        return new Checkpoint(model.config(), trainer.config(), TokenizerSpec.of(tokenizer),
                trainer.stepCount(), copyWeights(model), trainer.state());
    }

    /** Copies of the parameter values of a model, by name in parameter order. */
    public static Map<String, INDArray> copyWeights(TrainableModel model) {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        for (Parameter p : model.parameters()) {
            weights.put(p.name(), p.value().dup());
        }
        return weights;
    }

    /**
     * Builds a fresh Transformer and Trainer from the configurations and loads the weights, the
     * optimizer state and the step counter into them.
     *
     * @throws dev.gradlens.nn.InvalidConfigException when a configuration is invalid
     * @throws IllegalArgumentException when the tensors do not fit the model (see
     *     {@link #restoreInto})
     */
    public Restored restore() {
        Transformer model = new Transformer(config);
        Trainer trainer = new Trainer(model, optimizerConfig);
        restoreInto(model, trainer);
        return new Restored(model, trainer, tokenizer.create());
    }

    /**
     * Copies the weights into the model's parameters (bit-exact, with {@code assign}) and the
     * optimizer state and step counter into the trainer, which must be the model's trainer.
     * Everything is checked first: on an exception neither model nor trainer has changed.
     *
     * @throws IllegalArgumentException when a parameter has no weight, a weight has no parameter,
     *     a shape or data type differs, or the optimizer state is missing a tensor or misshapen
     */
    public void restoreInto(TrainableModel model, Trainer trainer) {
        List<Parameter> parameters = model.parameters();
        checkWeights(parameters);
        trainer.restore(optimizerState, step);
        for (Parameter p : parameters) {
            p.value().assign(weights.get(p.name()));
        }
    }

    private void checkWeights(List<Parameter> parameters) {
        require(parameters.size() == weights.size(), "the model has " + parameters.size()
                + " parameters but the checkpoint has " + weights.size() + " weights");
        for (Parameter p : parameters) {
            INDArray saved = weights.get(p.name());
            require(saved != null, "the checkpoint has no weight for parameter " + p.name());
            require(Arrays.equals(saved.shape(), p.shape()), p.name() + ": expected shape "
                    + Arrays.toString(p.shape()) + " but the checkpoint has "
                    + Arrays.toString(saved.shape()));
            require(saved.dataType() == p.value().dataType(), p.name() + ": expected data type "
                    + p.value().dataType() + " but the checkpoint has " + saved.dataType());
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /**
     * Identity: two checkpoints are equal only when they are the same object, because ND4J's
     * array equality is approximate. Compare tensors bit by bit where that matters.
     */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    /** Consistent with the identity {@link #equals}. */
    @Override
    public int hashCode() {
        return Objects.hash(config, step);
    }
}
