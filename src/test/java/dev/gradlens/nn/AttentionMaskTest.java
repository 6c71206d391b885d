package dev.gradlens.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class AttentionMaskTest {

    /** Batches in the order a reused mask sees them: each must leave nothing of the one before. */
    private static final int[][] LENGTHS = {{4, 2}, {1, 4}, {4, 4}, {3, 1}, {2, 3}};

    @Test
    void aOneTokenBatchLetsTheTokenSeeItself() {
        for (boolean causal : new boolean[] {true, false}) {
            AttentionMask mask = AttentionMask.of(new int[] {1, 1}, 1, causal, DataType.DOUBLE);

            assertEquals(ReferenceMask.allowed(new int[] {1, 1}, 1, causal), mask.allowed(),
                    "causal=" + causal);
        }
    }

    @Test
    void aReusedMaskFollowsTheLengthDownToOne() {
        AttentionMask mask = new AttentionMask();
        for (int length : new int[] {3, 1, 2, 1}) {
            int[] lengths = {length};
            mask.update(lengths, length, true, DataType.FLOAT);

            assertEquals(ReferenceMask.allowed(lengths, length, true).castTo(DataType.FLOAT),
                    mask.allowed(), "length " + length);
        }
    }

    @Test
    void aReusedMaskEqualsTheElementwiseReferenceForEveryBatch() {
        for (boolean causal : new boolean[] {true, false}) {
            AttentionMask mask = new AttentionMask();
            INDArray firstBuffer = null;
            for (int[] lengths : LENGTHS) {
                mask.update(lengths, 4, causal, DataType.DOUBLE);
                INDArray expected = ReferenceMask.allowed(lengths, 4, causal);

                assertEquals(expected, mask.allowed(), "allowed, causal=" + causal);
                assertEquals(expected.sub(1.0).muli(1e9), mask.penalty(),
                        "penalty, causal=" + causal);
                if (firstBuffer == null) {
                    firstBuffer = mask.allowed();
                }
                assertSame(firstBuffer, mask.allowed(), "the buffer is reused while B, T hold");
            }
        }
    }

    @Test
    void aNewShapeGetsNewBuffers() {
        AttentionMask mask = new AttentionMask();
        mask.update(new int[] {2, 2}, 2, true, DataType.FLOAT);
        mask.update(new int[] {3}, 3, true, DataType.FLOAT);

        assertEquals(ReferenceMask.allowed(new int[] {3}, 3, true).castTo(DataType.FLOAT),
                mask.allowed());
    }
}
