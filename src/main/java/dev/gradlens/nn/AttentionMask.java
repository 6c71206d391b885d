package dev.gradlens.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The allowed (query, key) pairs of a batch: both positions lie inside their sequence and, when
 * causal, key ≤ query. Rows of padded queries are therefore all masked.
 *
 * <p>Held twice, both [B, 1, T, T]: as a 0/1 mask, and as the penalty the softmax adds to the
 * scores (0 where allowed, {@link #MASKED_SCORE} where masked). {@link #update} rewrites both in
 * place, so a model reuses one mask from batch to batch while the shape holds.
 */
final class AttentionMask {

    /** Added to masked scores so that each row's max is taken over its allowed entries. */
    static final double MASKED_SCORE = -1e9;

    private INDArray allowed; // [B, 1, T, T] 1 where allowed, else 0
    private INDArray penalty; // [B, 1, T, T] 0 where allowed, else MASKED_SCORE
    private INDArray lowerTriangle; // [1, 1, T, T] 1 where key ≤ query, kept while T holds

    /** A new mask for one batch. */
    static AttentionMask of(int[] lengths, int length, boolean causal, DataType type) {
        return new AttentionMask().update(lengths, length, causal, type);
    }

    /**
     * Rewrites the mask for a batch.
     *
     * @param lengths B sequence lengths, each in [1, T]
     * @param length T, the padded length
     * @return this
     */
    AttentionMask update(int[] lengths, int length, boolean causal, DataType type) {
        int batch = lengths.length;
        allowed = Tensors.reuse(allowed, type, batch, 1, length, length);
        penalty = Tensors.reuse(penalty, type, batch, 1, length, length);

        // 1. every pair, or with causal only key ≤ query
        allowed.assign(1.0);
        if (causal) {
            allowed.muli(lowerTriangle(type, length));
        }

        // 2. padded queries (rows) and padded keys (columns) of each sequence
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < length) {
                allowed.get(NDArrayIndex.point(b), NDArrayIndex.all(),
                        NDArrayIndex.interval(lengths[b], length), NDArrayIndex.all()).assign(0);
                allowed.get(NDArrayIndex.point(b), NDArrayIndex.all(), NDArrayIndex.all(),
                        NDArrayIndex.interval(lengths[b], length)).assign(0);
            }
        }

        // 3. the additive form
        penaltyOf(allowed, penalty);
        return this;
    }

    /**
     * Writes the additive form of a 0/1 mask, (allowed − 1) · (−MASKED_SCORE): 0 where allowed,
     * MASKED_SCORE where masked.
     *
     * @return out
     */
    static INDArray penaltyOf(INDArray allowed, INDArray out) {
        return out.assign(allowed).subi(1.0).muli(-MASKED_SCORE);
    }

    /** 0/1 mask [B, 1, T, T], 1 where the query may attend to the key. */
    INDArray allowed() {
        return allowed;
    }

    /** [B, 1, T, T], 0 where allowed and {@link #MASKED_SCORE} where masked. */
    INDArray penalty() {
        return penalty;
    }

    /**
     * [1, 1, T, T] with 1 where key ≤ query. Built by hand: ND4J 1.0.0-M2.1's Nd4j.tri(1, 1, 0)
     * returns [[0]], which would mask the only key of a one-token batch.
     */
    private INDArray lowerTriangle(DataType type, int length) {
        if (lowerTriangle == null || lowerTriangle.dataType() != type
                || lowerTriangle.size(2) != length) {
            lowerTriangle = Nd4j.zeros(type, 1, 1, length, length);
            for (int query = 0; query < length; query++) {
                lowerTriangle.get(NDArrayIndex.point(0), NDArrayIndex.point(0),
                        NDArrayIndex.point(query), NDArrayIndex.interval(0, query + 1)).assign(1);
            }
        }
        return lowerTriangle;
    }
}
