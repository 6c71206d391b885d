package dev.gradlens.text;

import dev.gradlens.nn.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Cuts random windows of seqLen + 1 consecutive ids out of one part of a {@link Corpus} and turns
 * them into next-token batches ({@link Batch#nextTokenOf}). Window starts are uniform over every
 * position where a whole window fits in the part, drawn from a {@link SplittableRandom} with the
 * given seed, so the same seed gives the same sequence of batches on any JVM.
 */
public final class BatchSampler {

    private final int[] ids;
    private final int from;
    private final int to;
    private final int batchSize;
    private final int seqLen;
    private final SplittableRandom random;

    BatchSampler(int[] ids, int from, int to, int batchSize, int seqLen, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (seqLen < 1) {
            throw new IllegalArgumentException("seqLen must be at least 1, was " + seqLen);
        }
        if (to - from < seqLen + 1) {
            throw new IllegalArgumentException("the part has " + (to - from)
                    + " ids, fewer than a window of seqLen + 1 = " + (seqLen + 1));
        }
        this.ids = ids;
        this.from = from;
        this.to = to;
        this.batchSize = batchSize;
        this.seqLen = seqLen;
        this.random = new SplittableRandom(seed);
    }

    /** The next batch: B inputs and targets of length T. */
    public Batch next() {
        int starts = to - from - seqLen;
        List<int[]> windows = new ArrayList<>(batchSize);
        for (int b = 0; b < batchSize; b++) {
            int start = from + random.nextInt(starts);
            windows.add(Arrays.copyOfRange(ids, start, start + seqLen + 1));
        }
        return Batch.nextTokenOf(windows);
    }

    /** The next {@code count} batches. */
    public List<Batch> next(int count) {
        List<Batch> batches = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            batches.add(next());
        }
        return batches;
    }
}
