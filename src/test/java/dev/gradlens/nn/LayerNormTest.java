package dev.gradlens.nn;

import static dev.gradlens.nn.Fixtures.HAND_TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LayerNormTest {

    @Test
    void normalisesAWorkedExample() {
        LayerNorm norm = new LayerNorm("ln", 4, new Initializer(1, DataType.DOUBLE));

        // mean 2.5, biased variance 1.25: (x − 2.5) / sqrt(1.25 + 1e-5)
        INDArray y = norm.forward(Nd4j.createFromArray(new double[][] {{1, 2, 3, 4}}));

        assertArrayEquals(new double[] {-1.341635, -0.447212, 0.447212, 1.341635},
                y.getRow(0).toDoubleVector(), HAND_TOLERANCE);
    }

    @Test
    void normalisesInFloat32Too() {
        LayerNorm norm = new LayerNorm("ln", 4, new Initializer(1, DataType.FLOAT));

        INDArray y = norm.forward(Nd4j.createFromArray(new float[][] {{1, 2, 3, 4}}));

        assertArrayEquals(new double[] {-1.341635, -0.447212, 0.447212, 1.341635},
                y.getRow(0).toDoubleVector(), 1e-5);
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        LayerNorm norm = new LayerNorm("ln", 6, new Initializer(2, DataType.DOUBLE));
        Fixtures.randomize(norm.parameters(), 3, 0.5);
        INDArray x = Fixtures.random(4, 2, 3, 6);
        INDArray r = Fixtures.random(5, 2, 3, 6);

        norm.forward(x);
        INDArray dX = norm.backward(r);

        for (Parameter p : norm.parameters()) {
            Fixtures.assertGradient(p.name(), p.grad(), p.value(),
                    () -> Fixtures.weightedSum(norm.forward(x), r));
        }
        Fixtures.assertGradient("dX", dX, x, () -> Fixtures.weightedSum(norm.forward(x), r));
    }
}
