package dev.gradlens.nn;

import dev.gradlens.nn.TransformerConfig.NormPlacement;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A decoder-style Transformer language model on ND4J with a hand-written backward pass.
 *
 * <p>Shapes: B batch, T sequence, C dModel, H heads, V vocabulary.
 *
 * <p>Sequences of a batch may differ in length: they are padded to the longest, T, with id 0;
 * padded positions are masked as keys and as queries in attention and are ignored by the loss.
 * A model is not thread-safe: one forward/backward at a time.
 */
public final class Transformer implements TrainableModel {

    private final TransformerConfig config;
    private final TokenEmbedding tokenEmbedding;
    private final PositionEmbedding positionEmbedding;
    private final List<Block> blocks = new ArrayList<>();
    private final LayerNorm finalNorm; // null for POST
    private final Linear head;
    private final CrossEntropy crossEntropy = new CrossEntropy();
    private final AttentionMask attentionMask = new AttentionMask();
    private final List<Parameter> parameters;
    private final ParameterBuffer parameterBuffer; // every parameter, packed in public order

    private int batchSize; // B of the latest forward
    private int length; // T of the latest forward
    private boolean forwarded; // a forward ran, so attention(layer) has data
    private boolean backwardReady; // the latest forward computed a loss

    /**
     * Builds a model with freshly initialised weights: normal(0, 0.02) for weights and embeddings,
     * zeros for biases, ones and zeros for LayerNorm. The values depend only on the seed and the
     * configuration, not on the thread or on other models.
     *
     * @throws InvalidConfigException when the configuration is invalid
     */
    public Transformer(TransformerConfig config) {
        this.config = config.validate();
        Initializer init = new Initializer(config.seed(), config.dataType());
        int width = config.dModel();
        tokenEmbedding = new TokenEmbedding("token_embedding", config.vocabSize(), width, init);
        positionEmbedding = new PositionEmbedding("position_embedding", config.maxSeqLen(), width,
                init);
        for (int i = 0; i < config.nLayers(); i++) {
            blocks.add(new Block("blocks." + i, config, init));
        }
        finalNorm = config.norm() == NormPlacement.PRE
                ? new LayerNorm("final_ln", width, init)
                : null;
        head = new Linear("lm_head", width, config.vocabSize(), init);
        parameters = List.copyOf(collectParameters());
        parameterBuffer = ParameterBuffer.of(parameters);
    }

    public TransformerConfig config() {
        return config;
    }

    /**
     * Every trainable parameter, in the public order: token_embedding, position_embedding, then
     * per block ln1, attention q, k, v, o, ln2, ffn fc1, fc2 (each weight then bias), then
     * final_ln (pre-norm only) and lm_head.
     */
    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The flat buffer all parameters are packed into, in the order of {@link #parameters()}. */
    public ParameterBuffer parameterBuffer() {
        return parameterBuffer;
    }

    /** The parameter with this public name, or null. */
    public Parameter parameter(String name) {
        return parameters().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    public long parameterCount() {
        return parameters().stream().mapToLong(Parameter::length).sum();
    }

    /**
     * @return the mean cross-entropy over the targets that are not {@link Batch#IGNORE}; 0 when
     *     every target is ignored (the following backward then adds nothing)
     * @throws IllegalArgumentException when the batch is empty, a sequence is empty or longer
     *     than maxSeqLen, an id is outside [0, V), or targets do not match their inputs
     */
    @Override
    public double forwardLoss(Batch batch) {
        backwardReady = false;
        Validation.check(batch, config);
        int[] targets = Validation.pad(batch.targets(), batch.maxLength(), Batch.IGNORE);
        INDArray logits = forward(batch.inputs());
        double loss = crossEntropy.forward(Tensors.rows(logits), targets);
        backwardReady = true;
        return loss;
    }

    /**
     * @throws IllegalStateException when no {@link #forwardLoss} preceded this call
     */
    @Override
    public void backward(double lossScale) {
        if (!backwardReady) {
            throw new IllegalStateException("backward needs a forwardLoss on this model first");
        }

        // 1. gradient of the loss at the logits, back through the head: [B, T, V] → [B, T, C]
        INDArray dLogits = crossEntropy.backward(lossScale)
                .reshape('c', batchSize, length, config.vocabSize());
        INDArray dX = head.backward(dLogits);

        // 2. through the final LayerNorm (pre-norm only)
        if (finalNorm != null) {
            dX = finalNorm.backward(dX);
        }

        // 3. through the blocks in reverse
        for (int i = blocks.size() - 1; i >= 0; i--) {
            dX = blocks.get(i).backward(dX);
        }

        // 4. into both embeddings, which were summed
        tokenEmbedding.backward(dX);
        positionEmbedding.backward(dX);
    }

    /**
     * Forward pass without loss, for inspection and generation. After it, {@link #backward}
     * needs a new {@link #forwardLoss}.
     *
     * @param inputs B sequences of token ids (ragged allowed)
     * @return logits [B, T, V], a copy; rows past a sequence's own length are padding
     * @throws IllegalArgumentException when the inputs are empty, too long or hold invalid ids
     */
    public INDArray logits(List<int[]> inputs) {
        backwardReady = false;
        Validation.checkInputs(inputs, config);
        return forward(inputs).dup();
    }

    /**
     * Attention probabilities of the latest forward pass.
     *
     * @return [B, H, T, T] for block {@code layer}, a copy; rows of padded queries and columns of
     *     padded keys are zero
     * @throws IllegalArgumentException when layer is outside [0, nLayers)
     * @throws IllegalStateException before the first forward
     */
    public INDArray attention(int layer) {
        return checkedBlock(layer).attention().probabilities().dup();
    }

    /**
     * The residual stream after block {@code layer} in the latest forward pass.
     *
     * @return [B, T, C], a copy; rows past a sequence's own length are padding
     * @throws IllegalArgumentException when layer is outside [0, nLayers)
     * @throws IllegalStateException before the first forward
     */
    public INDArray blockOutput(int layer) {
        return checkedBlock(layer).output().dup();
    }

    private Block checkedBlock(int layer) {
        if (layer < 0 || layer >= blocks.size()) {
            throw new IllegalArgumentException("layer " + layer + " is outside [0, "
                    + blocks.size() + ")");
        }
        if (!forwarded) {
            throw new IllegalStateException("no forward pass has run on this model yet");
        }
        return blocks.get(layer);
    }

    /** Logits [B, T, V] of already validated inputs; a buffer of the head. */
    private INDArray forward(List<int[]> inputs) {
        batchSize = inputs.size();
        length = inputs.stream().mapToInt(s -> s.length).max().orElseThrow();
        int[] lengths = inputs.stream().mapToInt(s -> s.length).toArray();

        // 1. pad ids to [B, T] with 0; the mask below hides the padding
        int[] ids = Validation.pad(inputs, length, 0);

        // 2. embeddings: x = tok[ids] + pos[0..T), [B, T, C]
        INDArray x = tokenEmbedding.forward(ids, batchSize, length);
        x.addi(positionEmbedding.forward(length));

        // 3. allowed (query, key) pairs [B, 1, T, T]: inside the sequence, and causal if set
        AttentionMask mask = attentionMask.update(lengths, length, config.causal(),
                config.dataType());

        // 4. the blocks
        for (Block block : blocks) {
            x = block.forward(x, mask);
        }

        // 5. final LayerNorm (pre-norm only), then the head: [B, T, C] → [B, T, V]
        if (finalNorm != null) {
            x = finalNorm.forward(x);
        }
        forwarded = true;
        return head.forward(x);
    }

    private List<Parameter> collectParameters() {
        List<Parameter> all = new ArrayList<>(tokenEmbedding.parameters());
        all.addAll(positionEmbedding.parameters());
        for (Block block : blocks) {
            all.addAll(block.parameters());
        }
        if (finalNorm != null) {
            all.addAll(finalNorm.parameters());
        }
        all.addAll(head.parameters());
        return all;
    }
}
