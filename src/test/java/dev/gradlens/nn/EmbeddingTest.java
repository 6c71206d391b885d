package dev.gradlens.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EmbeddingTest {

    @Test
    void tokenBackwardScatterAddsRepeatedIds() {
        TokenEmbedding embedding = new TokenEmbedding("tok", 4, 2,
                new Initializer(1, DataType.DOUBLE));
        Parameter w = embedding.parameters().get(0);
        w.value().assign(Nd4j.createFromArray(new double[][] {{0, 0}, {1, 2}, {3, 4}, {5, 6}}));

        // ids [[1, 3], [1, 1]]: id 1 three times, id 3 once, ids 0 and 2 never
        INDArray out = embedding.forward(new int[] {1, 3, 1, 1}, 2, 2);
        assertArrayEquals(new double[] {1, 2, 5, 6, 1, 2, 1, 2}, out.ravel().toDoubleVector(), 0);

        embedding.backward(Nd4j.createFromArray(new double[][][] {
            {{1, 10}, {2, 20}}, {{3, 30}, {4, 40}}}));
        // dW[1] = (1, 10) + (3, 30) + (4, 40); dW[3] = (2, 20)
        assertArrayEquals(new double[] {0, 0, 8, 80, 0, 0, 2, 20},
                w.grad().ravel().toDoubleVector(), 0);
    }

    @Test
    void positionBackwardSumsOverTheBatch() {
        PositionEmbedding embedding = new PositionEmbedding("pos", 3, 2,
                new Initializer(1, DataType.DOUBLE));
        Parameter w = embedding.parameters().get(0);

        INDArray rows = embedding.forward(2);
        assertArrayEquals(w.value().getRow(1).toDoubleVector(), rows.getRow(1).toDoubleVector(), 0);

        embedding.backward(Nd4j.createFromArray(new double[][][] {
            {{1, 10}, {2, 20}}, {{3, 30}, {4, 40}}}));
        // rows 0 and 1 get the batch sums, row 2 (unused at T = 2) nothing
        assertArrayEquals(new double[] {4, 40, 6, 60, 0, 0},
                w.grad().ravel().toDoubleVector(), 0);
    }
}
