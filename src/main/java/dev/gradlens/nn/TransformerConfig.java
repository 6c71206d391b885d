package dev.gradlens.nn;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Shape and behaviour of a {@link Transformer}.
 *
 * @param vocabSize number of token ids, V
 * @param dModel width of the residual stream, C
 * @param nHeads attention heads per layer; dModel must divide by it
 * @param nLayers number of Transformer blocks
 * @param dFF hidden width of the feed-forward net, F (usually 4·C)
 * @param maxSeqLen longest sequence the position embedding covers
 * @param causal whether position t may attend only to positions up to t
 * @param norm where LayerNorm sits: {@code PRE} (GPT-2, with a final norm) or {@code POST}
 * @param activation feed-forward non-linearity
 * @param seed seed of the weight initialisation; the same seed gives bit-identical weights
 * @param dataType FLOAT (float32) or DOUBLE (float64)
 */
public record TransformerConfig(
        int vocabSize,
        int dModel,
        int nHeads,
        int nLayers,
        int dFF,
        int maxSeqLen,
        boolean causal,
        NormPlacement norm,
        Activation activation,
        long seed,
        DataType dataType) {

    public enum NormPlacement { PRE, POST }

    public enum Activation { GELU, RELU }

    /** A config with the defaults: dFF = 4·dModel, causal, pre-norm, GELU, seed 42, float32. */
    public static TransformerConfig of(
            int vocabSize, int dModel, int nHeads, int nLayers, int maxSeqLen) {
        return new TransformerConfig(vocabSize, dModel, nHeads, nLayers, 4 * dModel, maxSeqLen,
                true, NormPlacement.PRE, Activation.GELU, 42L, DataType.FLOAT);
    }

    public TransformerConfig withDataType(DataType type) {
        return new TransformerConfig(vocabSize, dModel, nHeads, nLayers, dFF, maxSeqLen, causal,
                norm, activation, seed, type);
    }

    public TransformerConfig withNorm(NormPlacement placement) {
        return new TransformerConfig(vocabSize, dModel, nHeads, nLayers, dFF, maxSeqLen, causal,
                placement, activation, seed, dataType);
    }

    public TransformerConfig withCausal(boolean isCausal) {
        return new TransformerConfig(vocabSize, dModel, nHeads, nLayers, dFF, maxSeqLen, isCausal,
                norm, activation, seed, dataType);
    }

    public TransformerConfig withActivation(Activation fn) {
        return new TransformerConfig(vocabSize, dModel, nHeads, nLayers, dFF, maxSeqLen, causal,
                norm, fn, seed, dataType);
    }

    public TransformerConfig withSeed(long newSeed) {
        return new TransformerConfig(vocabSize, dModel, nHeads, nLayers, dFF, maxSeqLen, causal,
                norm, activation, newSeed, dataType);
    }

    /**
     * Checks every field.
     *
     * @throws InvalidConfigException naming the first field that is out of range, for example
     *     {@code nHeads} when dModel does not divide by it
     */
    public TransformerConfig validate() {
        positive("vocabSize", vocabSize);
        positive("dModel", dModel);
        positive("nHeads", nHeads);
        positive("nLayers", nLayers);
        positive("dFF", dFF);
        positive("maxSeqLen", maxSeqLen);
        if (dModel % nHeads != 0) {
            throw new InvalidConfigException("nHeads",
                    "dModel (" + dModel + ") must be divisible by nHeads (" + nHeads + ")");
        }
        if (norm == null) {
            throw new InvalidConfigException("norm", "must be PRE or POST");
        }
        if (activation == null) {
            throw new InvalidConfigException("activation", "must be GELU or RELU");
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new InvalidConfigException("dataType", "must be FLOAT or DOUBLE");
        }
        return this;
    }

    public int headSize() {
        return dModel / nHeads;
    }

    private static void positive(String field, int value) {
        if (value <= 0) {
            throw new InvalidConfigException(field, "must be positive, was " + value);
        }
    }
}
