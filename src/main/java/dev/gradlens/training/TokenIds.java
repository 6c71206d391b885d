package dev.gradlens.training;

import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.system.ApiException;
import dev.gradlens.system.GradlensProperties.Limits;
import dev.gradlens.text.Tokenizer;
import java.util.List;

/** Checks of one sequence of token ids or one text, naming the element at fault. */
public final class TokenIds {

    private TokenIds() {
    }

    /**
     * The ids of {@code sequence}, each in {@code [min, vocabSize)}.
     *
     * @throws ApiException 400 naming {@code field} or {@code field[j]}
     */
    public static int[] checked(String field, List<Integer> sequence, int min, int vocabSize) {
        if (sequence == null) {
            throw ApiException.invalid(field, "must not be null");
        }
        if (sequence.isEmpty()) {
            throw ApiException.invalid(field, "is empty: a sequence needs at least one token");
        }
        int[] ids = new int[sequence.size()];
        for (int j = 0; j < ids.length; j++) {
            Integer id = sequence.get(j);
            if (id == null) {
                throw ApiException.invalid(field + "[" + j + "]", "must not be null");
            }
            if (id < min || id >= vocabSize) {
                throw ApiException.invalid(field + "[" + j + "]", "id " + id
                        + " is outside the vocabulary [" + min + ", " + vocabSize + ")");
            }
            ids[j] = id;
        }
        return ids;
    }

    /**
     * The ids of {@code text} under {@code tokenizer}.
     *
     * @throws ApiException 400 naming {@code field} when the text is null, empty or has a
     *     character outside the tokenizer's alphabet
     */
    public static int[] encoded(String field, String text, Tokenizer tokenizer) {
        if (text == null) {
            throw ApiException.invalid(field, "must not be null");
        }
        if (text.isEmpty()) {
            throw ApiException.invalid(field, "is empty: a text needs at least one character");
        }
        try {
            return tokenizer.encode(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, e.getMessage());
        }
    }

    /**
     * Checks the number of tokens of one request against the limit.
     *
     * @throws ApiException 413 naming {@code field} past {@code max-tokens-per-request}
     */
    public static void checkCount(String field, long count, Limits limits) {
        if (count > limits.getMaxTokensPerRequest()) {
            throw ApiException.tooLarge(field, "the request holds " + count + " tokens, more than "
                    + limits.getMaxTokensPerRequest()
                    + " (gradlens.limits.max-tokens-per-request)");
        }
    }

    /**
     * [B, T, dModel] tensors one layer keeps from its forward or allocates in its backward,
     * counted from nn: Block 4 (two residual sums, dMiddle, dInput), each of its two LayerNorms 4
     * (normalised, scratch, output, dInput), attention 15 (output and dInput of q, k, v and o;
     * context, merged, dValues, dQueries, dKeys, dMerged, dInput), feed-forward 2 (fc1's dInput,
     * fc2's output).
     */
    static final int WIDTH_TENSORS_PER_LAYER = 4 + 2 * 4 + 15 + 2;

    /**
     * Checks the activations a training step over {@code sequences} sequences padded to
     * {@code length} positions would hold: per layer the attention scores (B x H x T x T), the
     * feed-forward hidden values (B x T x dFF) and the {@link #WIDTH_TENSORS_PER_LAYER} tensors
     * of B x T x dModel, plus the logits (B x T x V). The scores and hidden values count one
     * tensor each, although a layer holds 3 of [B, H, T, T] and 5 of [B, T, dFF].
     *
     * @throws ApiException 413 naming {@code field} past {@code max-activation-elements}
     */
    public static void checkActivations(String field, TransformerConfig config, int sequences,
            int length, Limits limits) {
        long positions = (long) sequences * length;
        long perLayer = positions * length * config.nHeads() + positions * config.dFF()
                + positions * WIDTH_TENSORS_PER_LAYER * config.dModel();
        long elements = config.nLayers() * perLayer + positions * config.vocabSize();
        if (elements > limits.getMaxActivationElements()) {
            throw ApiException.tooLarge(field, sequences + " sequences padded to " + length
                    + " positions would take " + elements + " activation values, more than "
                    + limits.getMaxActivationElements()
                    + " (gradlens.limits.max-activation-elements); send shorter or fewer "
                    + "sequences");
        }
    }
}
