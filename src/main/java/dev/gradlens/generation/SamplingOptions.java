package dev.gradlens.generation;

/**
 * How {@link Generator} picks tokens.
 *
 * @param maxNewTokens tokens to generate, 0 or more
 * @param temperature divides the logits before the softmax: below 1 sharpens, above 1 flattens;
 *     0 means greedy decoding (always the most likely token, the lowest id on a tie), and then
 *     topK and seed do not matter
 * @param topK sample among the k most likely tokens only (ties broken by lower id); 0 for no
 *     limit, and a k of at least the vocabulary size is no limit either
 * @param seed seed of the sampling; the same seed, model, prompt and options give the same tokens
 */
public record SamplingOptions(int maxNewTokens, double temperature, int topK, long seed) {

    /**
     * @throws IllegalArgumentException naming the argument: maxNewTokens or topK negative, or
     *     temperature negative, NaN or infinite
     */
    public SamplingOptions {
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must not be negative, was "
                    + maxNewTokens);
        }
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number >= 0 "
                    + "(0 for greedy), was " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must not be negative (0 for no limit), was "
                    + topK);
        }
    }

    /** Greedy decoding of {@code maxNewTokens} tokens. */
    public static SamplingOptions greedy(int maxNewTokens) {
        return new SamplingOptions(maxNewTokens, 0, 0, 0);
    }
}
