package dev.gradlens.generation.service;

/**
 * Generated text.
 *
 * @param text the new text only, without the prompt
 * @param tokens the new token ids
 * @param optimizerStep the optimizer steps the weights had seen
 */
public record GenerateView(String prompt, String text, int[] tokens, int maxNewTokens,
        double temperature, int topK, long seed, long optimizerStep) {
}
