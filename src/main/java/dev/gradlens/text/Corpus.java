package dev.gradlens.text;

import java.util.Arrays;

/**
 * An encoded text with a fixed split: the first 90% of its ids (rounded down) are for training,
 * the rest for validation. Samplers cut windows inside one part only, never across the boundary.
 */
public final class Corpus {

    /** Which part of the corpus to sample. */
    public enum Split { TRAIN, VALIDATION }

    /** Share of the ids, in percent, that form the training part. */
    public static final int TRAIN_PERCENT = 90;

    private final int[] ids;
    private final int splitIndex;

    /**
     * @param ids the token ids of the whole text, in order; copied
     * @throws IllegalArgumentException when there are fewer than 2 ids
     */
    public Corpus(int[] ids) {
        if (ids.length < 2) {
            throw new IllegalArgumentException("corpus needs at least 2 ids, has " + ids.length);
        }
        this.ids = ids.clone();
        this.splitIndex = (int) ((long) ids.length * TRAIN_PERCENT / 100);
    }

    /**
     * Encodes a text with a tokenizer.
     *
     * @throws IllegalArgumentException when the tokenizer cannot encode the text, or the text
     *     gives fewer than 2 ids
     */
    public static Corpus of(String text, Tokenizer tokenizer) {
        return new Corpus(tokenizer.encode(text));
    }

    /** Number of ids in the whole corpus. */
    public int size() {
        return ids.length;
    }

    /** Index of the first validation id: ⌊size·90/100⌋. */
    public int splitIndex() {
        return splitIndex;
    }

    /** A copy of the ids of one part. */
    public int[] ids(Split split) {
        return split == Split.TRAIN
                ? Arrays.copyOfRange(ids, 0, splitIndex)
                : Arrays.copyOfRange(ids, splitIndex, ids.length);
    }

    /**
     * A sampler of random next-token batches from one part.
     *
     * @param batchSize B, windows per batch
     * @param seqLen T, the input length; each window holds T + 1 ids
     * @param seed the same seed gives the same batches
     * @throws IllegalArgumentException when batchSize or seqLen is below 1, or the part is
     *     shorter than seqLen + 1 ids
     */
    public BatchSampler sampler(Split split, int batchSize, int seqLen, long seed) {
        int from = split == Split.TRAIN ? 0 : splitIndex;
        int to = split == Split.TRAIN ? splitIndex : ids.length;
        return new BatchSampler(ids, from, to, batchSize, seqLen, seed);
    }
}
