package dev.gradlens.nn;

import static dev.gradlens.nn.Fixtures.HAND_TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gradlens.nn.TransformerConfig.Activation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FeedForwardTest {

    @Test
    void geluMatchesWorkedValues() {
        // tanh approximation: gelu(1) = ½(1 + tanh(√(2/π)·1.044715)), gelu'(1) from its formula
        INDArray one = Nd4j.createFromArray(1.0);

        assertEquals(0.841192, FeedForward.gelu(one).getDouble(0), HAND_TOLERANCE);
        assertEquals(1.082964, FeedForward.geluDerivative(one).getDouble(0), HAND_TOLERANCE);
    }

    @Test
    void geluDerivativeMatchesFiniteDifferences() {
        INDArray x = Fixtures.random(1, 3, 5).muli(2);
        INDArray slope = FeedForward.geluDerivative(x);

        Fixtures.assertGradient("gelu'", slope.dup(), x,
                () -> FeedForward.gelu(x).sumNumber().doubleValue());
    }

    @Test
    void reluDerivativeIsAStep() {
        INDArray x = Nd4j.createFromArray(-1.0, 0.0, 2.0);

        assertArrayEquals(new double[] {0, 0, 2}, FeedForward.relu(x).toDoubleVector(), 0);
        assertArrayEquals(new double[] {0, 0, 1}, FeedForward.reluDerivative(x).toDoubleVector(),
                0);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backwardMatchesFiniteDifferences(Activation activation) {
        FeedForward ffn = new FeedForward("ffn", 6, 10, activation,
                new Initializer(1, DataType.DOUBLE));
        Fixtures.randomize(ffn.parameters(), 2, 0.5);
        INDArray x = Fixtures.random(3, 2, 3, 6);
        INDArray r = Fixtures.random(4, 2, 3, 6);

        ffn.forward(x);
        INDArray dX = ffn.backward(r).dup();

        for (Parameter p : ffn.parameters()) {
            Fixtures.assertGradient(p.name(), p.grad(), p.value(),
                    () -> Fixtures.weightedSum(ffn.forward(x), r));
        }
        Fixtures.assertGradient("dX", dX, x, () -> Fixtures.weightedSum(ffn.forward(x), r));
    }
}
