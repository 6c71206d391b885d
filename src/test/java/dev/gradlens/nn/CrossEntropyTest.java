package dev.gradlens.nn;

import static dev.gradlens.nn.Fixtures.HAND_TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CrossEntropyTest {

    @Test
    void lossOfAWorkedExampleSkipsIgnoredTargets() {
        CrossEntropy loss = new CrossEntropy();
        INDArray logits = Nd4j.createFromArray(new double[][] {{2, 1, 0}, {0, 0, 0}});

        // only row 0 counts: log(e² + e + 1) − 2
        double value = loss.forward(logits, new int[] {0, Batch.IGNORE});

        assertEquals(0.407606, value, HAND_TOLERANCE);
        INDArray dLogits = loss.backward(1.0);
        double z = Math.exp(2) + Math.exp(1) + 1;
        assertArrayEquals(new double[] {Math.exp(2) / z - 1, Math.exp(1) / z, 1 / z},
                dLogits.getRow(0).toDoubleVector(), HAND_TOLERANCE);
        assertArrayEquals(new double[] {0, 0, 0}, dLogits.getRow(1).toDoubleVector(), 0.0);
    }

    @Test
    void noCountedTargetGivesZeroLossAndGradient() {
        CrossEntropy loss = new CrossEntropy();

        double value = loss.forward(Fixtures.random(1, 2, 3), new int[] {-1, -1});

        assertEquals(0.0, value, 0.0);
        assertEquals(0.0, loss.backward(1.0).amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        CrossEntropy loss = new CrossEntropy();
        INDArray logits = Fixtures.random(2, 5, 4);
        int[] targets = {3, Batch.IGNORE, 0, 3, 1};

        loss.forward(logits, targets);
        INDArray dLogits = loss.backward(0.7).dup();

        Fixtures.assertGradient("dLogits", dLogits, logits,
                () -> 0.7 * loss.forward(logits, targets));
    }
}
