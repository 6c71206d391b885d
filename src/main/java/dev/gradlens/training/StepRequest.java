package dev.gradlens.training;

import java.util.List;

/**
 * Body of {@code POST /api/models/{id}/steps}: one batch, as token ids or as texts.
 *
 * @param tokens B sequences of token ids (lengths may differ)
 * @param texts B texts, tokenized by the model's tokenizer (instead of {@code tokens})
 * @param targets B target sequences, each as long as its input, {@code -1} = no loss there;
 *     absent: next-token targets, inputs {@code s[:-1]} and targets {@code s[1:]}
 * @param update false to compute loss and gradients without changing the weights (default true)
 */
public record StepRequest(
        List<List<Integer>> tokens,
        List<String> texts,
        List<List<Integer>> targets,
        Boolean update) {
}
