package dev.gradlens.nn;

import static dev.gradlens.nn.Fixtures.HAND_TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class MultiHeadAttentionTest {

    @Test
    void softmaxOfLargeEqualScoresIsUniform() {
        for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray scores = Nd4j.createFromArray(new double[][] {{1000, 1000}}).castTo(type);

            INDArray p = MaskedSoftmax.forward(scores, null);

            assertArrayEquals(new double[] {0.5, 0.5}, p.getRow(0).toDoubleVector(),
                    HAND_TOLERANCE);
        }
    }

    @Test
    void fullyMaskedSoftmaxRowIsZeroWithZeroGradient() {
        INDArray scores = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {0.5, -1, 2}});
        INDArray mask = Nd4j.createFromArray(new double[][] {{0, 0, 0}, {1, 0, 1}});

        INDArray p = MaskedSoftmax.forward(scores, mask);
        INDArray dScores = MaskedSoftmax.backward(p, Nd4j.createFromArray(
                new double[][] {{1, -2, 3}, {4, 5, 6}}));

        assertArrayEquals(new double[] {0, 0, 0}, p.getRow(0).toDoubleVector(), 0);
        assertArrayEquals(new double[] {0, 0, 0}, dScores.getRow(0).toDoubleVector(), 0);
        double e = Math.exp(1.5);
        assertArrayEquals(new double[] {1 / (1 + e), 0, e / (1 + e)},
                p.getRow(1).toDoubleVector(), HAND_TOLERANCE);
        assertEquals(0.0, dScores.getDouble(1, 1), 0.0);
    }

    @Test
    void paddedQueriesAndKeysGetNoAttentionAndNoGradient() {
        MultiHeadAttention attention = new MultiHeadAttention("att", 4, 2,
                new Initializer(1, DataType.DOUBLE));
        Fixtures.randomize(attention.parameters(), 2, 0.5);
        INDArray x = Fixtures.random(3, 1, 3, 4);
        AttentionMask mask = MultiHeadAttention.mask(new int[] {1}, 3, false, DataType.DOUBLE);

        attention.forward(x, mask);
        INDArray dX = attention.backward(Fixtures.random(4, 1, 3, 4));

        // only position 0 is real: queries 1 and 2 are fully masked rows
        INDArray p = attention.probabilities();
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, 0, 0, 0, 0},
                p.get(NDArrayIndex.point(0), NDArrayIndex.point(1)).ravel().toDoubleVector(), 0);
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 0},
                dX.get(NDArrayIndex.point(0), NDArrayIndex.interval(1, 3)).ravel()
                        .toDoubleVector(), 0);
        assertFalse(dX.isNaN().any());
    }

    @ParameterizedTest(name = "causal={0}")
    @ValueSource(booleans = {true, false})
    void backwardMatchesFiniteDifferences(boolean causal) {
        MultiHeadAttention attention = new MultiHeadAttention("att", 8, 2,
                new Initializer(1, DataType.DOUBLE));
        Fixtures.randomize(attention.parameters(), 2, 0.5);
        INDArray x = Fixtures.random(3, 2, 4, 8);
        INDArray r = Fixtures.random(4, 2, 4, 8);
        AttentionMask mask = MultiHeadAttention.mask(new int[] {4, 2}, 4, causal, DataType.DOUBLE);

        attention.forward(x, mask);
        INDArray dX = attention.backward(r);

        for (Parameter p : attention.parameters()) {
            Fixtures.assertGradient(p.name(), p.grad(), p.value(),
                    () -> Fixtures.weightedSum(attention.forward(x, mask), r));
        }
        Fixtures.assertGradient("dX", dX, x,
                () -> Fixtures.weightedSum(attention.forward(x, mask), r));
    }
}
