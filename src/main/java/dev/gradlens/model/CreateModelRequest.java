package dev.gradlens.model;

/**
 * Body of {@code POST /api/models}. Every field is optional except {@code vocabSize} when there is
 * no tokenizer; absent fields take the defaults documented in docs/API.md.
 *
 * @param name a label for people; defaults to {@code model-} and the start of the id
 * @param vocabSize V; derived from the tokenizer when one is given
 * @param norm {@code "pre"} or {@code "post"}
 * @param activation {@code "gelu"} or {@code "relu"}
 * @param dataType {@code "float32"} or {@code "float64"}
 */
public record CreateModelRequest(
        String name,
        Integer vocabSize,
        Integer dModel,
        Integer nHeads,
        Integer nLayers,
        Integer dFF,
        Integer maxSeqLen,
        Boolean causal,
        String norm,
        String activation,
        Long seed,
        String dataType,
        OptimizerRequest optimizer,
        TokenizerRequest tokenizer) {

    /**
     * Optimizer settings.
     *
     * @param type {@code "sgd"}, {@code "adam"} or {@code "adamw"}
     * @param schedule {@code "constant"} or {@code "warmup_cosine"}
     */
    public record OptimizerRequest(
            String type,
            Double learningRate,
            Double momentum,
            Double beta1,
            Double beta2,
            Double epsilon,
            Double weightDecay,
            Double gradClip,
            String schedule,
            Integer warmupSteps,
            Integer decaySteps,
            Double minLearningRate) {
    }

    /**
     * Tokenizer: {@code "char"} with the {@code corpus} whose characters form the vocabulary, or
     * {@code "byte"} (256 ids, UTF-8 bytes).
     */
    public record TokenizerRequest(String type, String corpus) {
    }
}
