package dev.gradlens.nn;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Learned position embedding: row t of a [maxSeqLen, C] table is added at position t of every
 * sequence of the batch.
 */
final class PositionEmbedding {

    private final Parameter weight; // [maxSeqLen, C]
    private final int maxLength;

    private int length; // T of the latest forward
    private INDArray ones; // [B, 1] for the backward's sum over the batch

    PositionEmbedding(String name, int maxLength, int width, Initializer init) {
        this.maxLength = maxLength;
        this.weight = new Parameter(name + ".weight", init.normal(maxLength, width));
    }

    List<Parameter> parameters() {
        return List.of(weight);
    }

    /**
     * @return [T, C], a view of the first T rows that the caller broadcasts over the batch
     */
    INDArray forward(int sequenceLength) {
        if (sequenceLength < 1 || sequenceLength > maxLength) {
            throw new IllegalArgumentException("PositionEmbedding: sequence length "
                    + sequenceLength + " is outside [1, " + maxLength + "]");
        }
        length = sequenceLength;
        return weight.value().get(NDArrayIndex.interval(0, length), NDArrayIndex.all());
    }

    /**
     * Accumulates dW[t] += Σ_b dOut[b, t]: every sequence of the batch used row t.
     *
     * @param dOut [B, T, C]
     */
    void backward(INDArray dOut) {
        if (dOut.rank() != 3 || dOut.size(1) != length) {
            throw new IllegalArgumentException("PositionEmbedding: expected gradient [B, "
                    + length + ", C], got " + Arrays.toString(dOut.shape()));
        }

        // 1. sum over the batch straight into the first T rows: [B, T·C] → [T·C]
        long batch = dOut.size(0);
        ones = Tensors.ones(ones, dOut.dataType(), batch);
        INDArray usedRows = weight.grad().get(NDArrayIndex.interval(0, length), NDArrayIndex.all());
        Tensors.addColumnSums(Tensors.rows(dOut.reshape('c', batch, dOut.length() / batch)),
                usedRows, ones);
    }
}
