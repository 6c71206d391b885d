package dev.gradlens.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decoder-style Transformer language model on ND4J with a hand-written backward pass.
 *
 * <p>Shapes: B batch, T sequence, C dModel, H heads, V vocabulary.
 */
public final class Transformer implements TrainableModel {

    private final TransformerConfig config;

    /**
     * Builds a model with freshly initialised weights: normal(0, 0.02) for weights and embeddings,
     * zeros for biases, ones and zeros for LayerNorm.
     *
     * @throws InvalidConfigException when the configuration is invalid
     */
    public Transformer(TransformerConfig config) {
        this.config = config.validate();
        throw new UnsupportedOperationException("not built yet");
    }

    public TransformerConfig config() {
        return config;
    }

    @Override
    public List<Parameter> parameters() {
        throw new UnsupportedOperationException();
    }

    /** The parameter with this public name, or null. */
    public Parameter parameter(String name) {
        return parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    public long parameterCount() {
        return parameters().stream().mapToLong(Parameter::length).sum();
    }

    @Override
    public double forwardLoss(Batch batch) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void backward(double lossScale) {
        throw new UnsupportedOperationException();
    }

    /**
     * Forward pass without loss, for inspection and generation.
     *
     * @param inputs B sequences of token ids (ragged allowed)
     * @return logits [B, T, V]
     */
    public INDArray logits(List<int[]> inputs) {
        throw new UnsupportedOperationException();
    }

    /**
     * Attention probabilities of the latest forward pass.
     *
     * @return [B, H, T, T] for block {@code layer}; rows of padded queries and columns of padded
     *     keys are zero
     */
    public INDArray attention(int layer) {
        throw new UnsupportedOperationException();
    }
}
