package dev.gradlens.nn;

import static dev.gradlens.nn.Fixtures.HAND_TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LinearTest {

    @Test
    void forwardAndBackwardMatchAWorkedExample() {
        Linear linear = new Linear("fc", 2, 2, new Initializer(1, DataType.DOUBLE));
        linear.weight().value().assign(Nd4j.createFromArray(new double[][] {{1, 0}, {2, 1}}));
        linear.bias().value().assign(Nd4j.createFromArray(0.5, -1.0));
        INDArray x = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}});

        // x·W = [[1 + 4, 0 + 2], [3 + 8, 0 + 4]], plus b
        INDArray y = linear.forward(x);
        assertRows(new double[][] {{5.5, 1}, {11.5, 3}}, y);

        // dY = ones: dW = xᵀ·1 = [[4, 4], [6, 6]], db = [2, 2], dX = 1·Wᵀ = [[1, 3], [1, 3]]
        INDArray dX = linear.backward(Nd4j.ones(DataType.DOUBLE, 2, 2));
        assertRows(new double[][] {{4, 4}, {6, 6}}, linear.weight().grad());
        assertArrayEquals(new double[] {2, 2}, linear.bias().grad().toDoubleVector(),
                HAND_TOLERANCE);
        assertRows(new double[][] {{1, 3}, {1, 3}}, dX);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Linear linear = new Linear("fc", 4, 5, new Initializer(2, DataType.DOUBLE));
        Fixtures.randomize(linear.parameters(), 3, 0.5);
        INDArray x = Fixtures.random(4, 2, 3, 4);
        INDArray r = Fixtures.random(5, 2, 3, 5);

        linear.forward(x);
        INDArray dX = linear.backward(r).dup();
        for (Parameter p : linear.parameters()) {
            Fixtures.assertGradient(p.name(), p.grad(), p.value(),
                    () -> Fixtures.weightedSum(linear.forward(x), r));
        }
        Fixtures.assertGradient("dX", dX, x, () -> Fixtures.weightedSum(linear.forward(x), r));
    }

    @Test
    void backwardIntoAddsTheInputGradientToTheBuffer() {
        // dX = dY·Wᵀ + 1·dX: with W = [[1, 0], [2, 1]], dY = ones and dX = [[10, 20], [30, 40]]
        // the product is [[1, 3], [1, 3]]
        Linear linear = new Linear("fc", 2, 2, new Initializer(1, DataType.DOUBLE));
        linear.weight().value().assign(Nd4j.createFromArray(new double[][] {{1, 0}, {2, 1}}));
        linear.forward(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}));
        INDArray dX = Nd4j.createFromArray(new double[][] {{10, 20}, {30, 40}});

        linear.backwardInto(Nd4j.ones(DataType.DOUBLE, 2, 2), dX, 1.0);

        assertRows(new double[][] {{11, 23}, {31, 43}}, dX);
        assertRows(new double[][] {{4, 4}, {6, 6}}, linear.weight().grad());
    }

    @Test
    void forwardRejectsAWrongWidth() {
        Linear linear = new Linear("fc", 4, 5, new Initializer(2, DataType.DOUBLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> linear.forward(Nd4j.zeros(DataType.DOUBLE, 2, 3)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("[..., 4]"));
    }

    static void assertRows(double[][] expected, INDArray actual) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual.getRow(i).toDoubleVector(), HAND_TOLERANCE);
        }
    }
}
