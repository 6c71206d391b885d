package dev.gradlens.inspect;

import java.util.List;

/**
 * Attention probabilities of one forward pass over the input, per layer and head.
 *
 * @param tokens the input's token ids, T of them
 * @param labels each token as text, for axis labels
 * @param layers the requested layers, each with the requested heads
 */
public record AttentionView(List<Integer> tokens, List<String> labels, List<Layer> layers) {

    /** One block's heads. */
    public record Layer(int layer, List<Head> heads) {
    }

    /**
     * One head's [T, T] matrix: row = query position, column = key position; each row sums to 1
     * (with a causal model, entries right of the diagonal are 0).
     */
    public record Head(int head, NestedArray probabilities) {
    }
}
