package dev.gradlens.training;

import dev.gradlens.model.LiveModel;
import dev.gradlens.nn.Batch;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties.Limits;
import dev.gradlens.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a {@link StepRequest} against the model and the limits and turns it into a {@link Batch}.
 * Every check runs before the model is touched, so a refused request changes nothing.
 */
final class StepBatches {

    private StepBatches() {
    }

    static Batch of(StepRequest request, LiveModel live, Limits limits) {
        String field = sourceField(request);
        List<int[]> sequences = field.equals("tokens")
                ? checkedIds(request.tokens(), live.transformer().config().vocabSize(), limits)
                : encoded(request.texts(), live.tokenizer(), limits);
        TransformerConfig config = live.transformer().config();
        Batch batch = request.targets() == null
                ? nextTokenBatch(field, sequences, config.maxSeqLen())
                : explicitBatch(field, sequences, request.targets(), config);
        TokenIds.checkActivations(field, config, batch.size(), batch.maxLength(), limits);
        return batch;
    }

    private static String sourceField(StepRequest request) {
        if (request.tokens() != null && request.texts() != null) {
            throw ApiException.invalid("texts", "give either tokens or texts, not both");
        }
        if (request.tokens() == null && request.texts() == null) {
            throw ApiException.invalid("tokens",
                    "a batch needs tokens (lists of token ids) or texts");
        }
        List<?> batch = request.tokens() != null ? request.tokens() : request.texts();
        String field = request.tokens() != null ? "tokens" : "texts";
        if (batch.isEmpty()) {
            throw ApiException.invalid(field, "the batch is empty: give at least one sequence");
        }
        return field;
    }

    private static List<int[]> checkedIds(List<List<Integer>> tokens, int vocabSize,
            Limits limits) {
        TokenIds.checkCount("tokens", tokens.stream()
                .mapToLong(s -> s == null ? 0 : s.size()).sum(), limits);
        List<int[]> out = new ArrayList<>(tokens.size());
        for (int i = 0; i < tokens.size(); i++) {
            out.add(TokenIds.checked("tokens[" + i + "]", tokens.get(i), 0, vocabSize));
        }
        return out;
    }

    private static List<int[]> encoded(List<String> texts, Tokenizer tokenizer, Limits limits) {
        if (tokenizer == null) {
            throw ApiException.invalid("texts",
                    "this model has no tokenizer: send token ids in tokens");
        }
        List<int[]> out = new ArrayList<>(texts.size());
        long count = 0;
        for (int i = 0; i < texts.size(); i++) {
            int[] ids = TokenIds.encoded("texts[" + i + "]", texts.get(i), tokenizer);
            count += ids.length;
            TokenIds.checkCount("texts", count, limits);
            out.add(ids);
        }
        return out;
    }

    private static Batch nextTokenBatch(String field, List<int[]> sequences, int maxSeqLen) {
        for (int i = 0; i < sequences.size(); i++) {
            int length = sequences.get(i).length;
            if (length < 2) {
                throw ApiException.invalid(field + "[" + i + "]", "has " + length + " token; "
                        + "without targets a sequence needs at least 2 (inputs s[:-1], "
                        + "targets s[1:])");
            }
            if (length - 1 > maxSeqLen) {
                throw ApiException.invalid(field + "[" + i + "]", "has " + length + " tokens, "
                        + "so " + (length - 1) + " inputs; maxSeqLen is " + maxSeqLen
                        + " (without targets a sequence may hold maxSeqLen + 1 tokens)");
            }
        }
        return Batch.nextTokenOf(sequences);
    }

    private static Batch explicitBatch(String field, List<int[]> inputs,
            List<List<Integer>> targets, TransformerConfig config) {
        if (targets.size() != inputs.size()) {
            throw ApiException.invalid("targets", "has " + targets.size()
                    + " sequences but the batch has " + inputs.size());
        }
        List<int[]> targetIds = new ArrayList<>(targets.size());
        for (int i = 0; i < inputs.size(); i++) {
            int length = inputs.get(i).length;
            if (length > config.maxSeqLen()) {
                throw ApiException.invalid(field + "[" + i + "]", "has " + length
                        + " tokens; maxSeqLen is " + config.maxSeqLen());
            }
            int[] row = TokenIds.checked("targets[" + i + "]", targets.get(i), Batch.IGNORE,
                    config.vocabSize());
            if (row.length != length) {
                throw ApiException.invalid("targets[" + i + "]", "has " + row.length
                        + " ids but " + field + "[" + i + "] has " + length);
            }
            targetIds.add(row);
        }
        Batch batch = new Batch(inputs, targetIds);
        if (batch.targetCount() == 0) {
            throw ApiException.invalid("targets",
                    "every target is -1: the loss would count no position");
        }
        return batch;
    }
}
