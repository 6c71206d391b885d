package dev.gradlens.bench;

import dev.gradlens.nn.TransformerConfig;

/**
 * A benchmark configuration: the model and the shape of its batches. Every sequence of a batch is
 * full length, so a step trains on {@code batch · length} target tokens.
 *
 * @param name short label, "a", "b" or "c"
 * @param layers Transformer blocks, L
 * @param width dModel, C
 * @param heads attention heads, H
 * @param length sequence length, T
 * @param batch sequences per step, B
 * @param vocab vocabulary size, V
 */
record BenchConfig(String name, int layers, int width, int heads, int length, int batch,
        int vocab) {

    static final BenchConfig A = new BenchConfig("a", 4, 256, 4, 64, 4, 65);
    static final BenchConfig B = new BenchConfig("b", 4, 128, 4, 64, 12, 65);
    static final BenchConfig C = new BenchConfig("c", 6, 512, 8, 128, 8, 256);

    static BenchConfig byName(String name) {
        return switch (name) {
            case "a" -> A;
            case "b" -> B;
            case "c" -> C;
            default -> throw new IllegalArgumentException("no configuration " + name);
        };
    }

    /** Pre-norm, causal, GELU, dFF = 4·C, float32, seed 42, maxSeqLen = T. */
    TransformerConfig model() {
        return TransformerConfig.of(vocab, width, heads, layers, length);
    }

    long tokens() {
        return (long) batch * length;
    }

    /**
     * Floating-point operations of one training step in matrix multiplies, counting a
     * multiply-add as 2 and the full T×T attention (the causal half is computed, then masked):
     *
     * <pre>
     * linear    = 6 · N · (L · (4·C² + 2·C·F) + C·V)     N = B·T tokens, F = 4·C
     * attention = 12 · L · B · T² · C
     * </pre>
     *
     * A [N, in]×[in, out] projection costs 2·N·in·out forward and twice that backward (dW and
     * dX), hence 6 per weight per token. Attention has Q·Kᵀ and P·V forward (2·B·T²·C each) and
     * four products backward. Embedding lookups, biases, LayerNorm, softmax, GELU and the
     * optimizer are not counted.
     */
    double flopsPerStep() {
        double n = tokens();
        double f = 4.0 * width;
        double linear = 6 * n * (layers * (4.0 * width * width + 2.0 * width * f)
                + (double) width * vocab);
        double attention = 12.0 * layers * batch * (double) length * length * width;
        return linear + attention;
    }

    String describe() {
        return String.format("(%s) L=%d C=%d H=%d T=%d B=%d V=%d", name, layers, width, heads,
                length, batch, vocab);
    }
}
