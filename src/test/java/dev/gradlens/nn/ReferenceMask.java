package dev.gradlens.nn;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The attention mask computed element by element, independently of
 * {@link MultiHeadAttention#mask}: key and query inside their sequence and, if causal, key ≤ query.
 */
final class ReferenceMask {

    private ReferenceMask() {
    }

    /** 0/1 mask [B, 1, T, T], float64. */
    static INDArray allowed(int[] lengths, int length, boolean causal) {
        INDArray mask = org.nd4j.linalg.factory.Nd4j.zeros(DataType.DOUBLE, lengths.length, 1,
                length, length);
        for (int b = 0; b < lengths.length; b++) {
            for (int query = 0; query < lengths[b]; query++) {
                for (int key = 0; key < lengths[b]; key++) {
                    if (!causal || key <= query) {
                        mask.putScalar(new long[] {b, 0, query, key}, 1.0);
                    }
                }
            }
        }
        return mask;
    }
}
