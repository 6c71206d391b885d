package dev.gradlens.checkpoint;

import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Hand-made checkpoints for store tests: a few tensors whose values depend on the step. */
final class CheckpointFixtures {

    static final TransformerConfig CONFIG = TransformerConfig.of(4, 8, 2, 1, 16);
    static final OptimizerConfig OPTIMIZER =
            OptimizerConfig.adamW(1e-3).withGradClip(1).withWarmupCosine(10, 100, 1e-4);
    static final TokenizerSpec TOKENIZER = new TokenizerSpec("char", "\nab€");

    private CheckpointFixtures() {
    }

    /** Weights and Adam moments filled with step-dependent values, including −0.0f and NaN. */
    static Checkpoint checkpoint(long step) {
        Map<String, INDArray> weights = new LinkedHashMap<>();
        weights.put("token_embedding.weight", filled(step, 4, 8));
        INDArray bias = filled(step + 1, 4);
        bias.putScalar(0, -0.0f);
        weights.put("lm_head.bias", bias);

        Map<String, INDArray> state = new LinkedHashMap<>();
        state.put("adam.m.token_embedding.weight", filled(step + 2, 4, 8));
        state.put("adam.m.lm_head.bias", filled(step + 3, 4));
        state.put("adam.v.token_embedding.weight", filled(step + 4, 4, 8).muli(1e-7f));
        INDArray v = filled(step + 5, 4);
        v.putScalar(3, Float.NaN);
        state.put("adam.v.lm_head.bias", v);
        return new Checkpoint(CONFIG, OPTIMIZER, TOKENIZER, step, weights, state);
    }

    private static INDArray filled(long seed, long... shape) {
        return Nd4j.getRandomFactory().getNewRandomInstance(seed).nextGaussian(shape)
                .castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }
}
