package dev.gradlens.generation.service;

/**
 * Body of {@code POST /api/models/{id}/generate}.
 *
 * @param prompt text to continue, encoded by the model's tokenizer (required)
 * @param maxNewTokens tokens to generate (default 100)
 * @param temperature 0 for greedy, otherwise divides the logits (default 1.0)
 * @param topK sample among the k most likely tokens; 0 for all (default 0)
 * @param seed the same seed gives the same text (default 0)
 */
public record GenerateRequest(String prompt, Integer maxNewTokens, Double temperature,
        Integer topK, Long seed) {
}
