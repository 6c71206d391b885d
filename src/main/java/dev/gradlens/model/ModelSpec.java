package dev.gradlens.model;

import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;

/**
 * A validated model definition: everything needed to build the engine objects, and what the
 * model row stores.
 *
 * @param parameterCount trainable elements the config implies (checked against the limit before
 *     any tensor is allocated)
 */
public record ModelSpec(
        String name,
        TransformerConfig config,
        OptimizerConfig optimizer,
        TokenizerSpec tokenizer,
        long parameterCount) {

    /** Elements of every parameter tensor the engine creates for {@code config}. */
    public static long parameterCountOf(TransformerConfig config) {
        long c = config.dModel();
        long f = config.dFF();
        long v = config.vocabSize();
        long perBlock = 2 * c          // ln1
                + 4 * (c * c + c)      // attention q, k, v, o
                + 2 * c                // ln2
                + c * f + f            // ffn.fc1
                + f * c + c;           // ffn.fc2
        long finalNorm = config.norm() == TransformerConfig.NormPlacement.PRE ? 2 * c : 0;
        return v * c + config.maxSeqLen() * c + config.nLayers() * perBlock + finalNorm
                + c * v + v;
    }
}
