package dev.gradlens.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Multi-head self-attention (Vaswani et al. 2017) with separate q, k, v and o projections:
 * softmax(Q·Kᵀ / √D + mask)·V per head, heads concatenated and projected by o.
 *
 * <p>All heads run in batched 4-D matrix multiplies over [B, H, T, D].
 */
final class MultiHeadAttention {

    private final int width;
    private final int heads;
    private final int headSize;
    private final double scale; // 1 / √D
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    private INDArray queries; // [B, H, T, D] view of the q projection
    private INDArray keys; // [B, H, T, D] view of the k projection
    private INDArray values; // [B, H, T, D] view of the v projection
    private INDArray probabilities; // [B, H, T, T]
    private INDArray rowStatistic; // [B, H, T, 1] softmax row max and row sums

    // buffers, reused while the batch shape holds
    private INDArray context; // [B, H, T, D]
    private INDArray merged; // [B, T, C] context with heads merged, input of o
    private INDArray dProbabilities; // [B, H, T, T]
    private INDArray dScores; // [B, H, T, T]
    private INDArray dValues; // [B, H, T, D]
    private INDArray dQueries; // [B, H, T, D]
    private INDArray dKeys; // [B, H, T, D]
    private INDArray dMerged; // [B, T, C] one head-merged gradient at a time
    private INDArray dInput; // [B, T, C]

    MultiHeadAttention(String name, int width, int heads, Initializer init) {
        this.width = width;
        this.heads = heads;
        this.headSize = width / heads;
        this.scale = 1.0 / Math.sqrt(headSize);
        this.query = new Linear(name + ".q", width, width, init);
        this.key = new Linear(name + ".k", width, width, init);
        this.value = new Linear(name + ".v", width, width, init);
        this.output = new Linear(name + ".o", width, width, init);
    }

    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>();
        for (Linear layer : List.of(query, key, value, output)) {
            all.addAll(layer.parameters());
        }
        return all;
    }

    /**
     * The mask of allowed (query, key) pairs of a batch: see {@link AttentionMask}.
     *
     * @param lengths B sequence lengths, each in [1, T]
     */
    static AttentionMask mask(int[] lengths, int length, boolean causal, DataType type) {
        return AttentionMask.of(lengths, length, causal, type);
    }

    /**
     * @param x [B, T, C]
     * @param mask the allowed pairs [B, 1, T, T], or null to let every query see every key
     * @return [B, T, C]; a buffer of the o projection, overwritten on the next forward
     */
    INDArray forward(INDArray x, AttentionMask mask) {
        if (x.rank() != 3) {
            throw new IllegalArgumentException("MultiHeadAttention: expected input [B, T, "
                    + width + "], got " + Arrays.toString(x.shape()));
        }
        allocate(x.dataType(), x.size(0), x.size(1));

        // 1. project and split heads: [B, T, C] → [B, H, T, D] (views)
        queries = splitHeads(query.forward(x));
        keys = splitHeads(key.forward(x));
        values = splitHeads(value.forward(x));

        // 2. scores = Q·Kᵀ / √D, written where the probabilities will be
        Nd4j.matmul(queries, keys, probabilities, false, true, false);
        probabilities.muli(scale);

        // 3. probabilities, in place, with masked keys at exactly zero
        if (mask == null) {
            MaskedSoftmax.forward(probabilities, null, null, rowStatistic, probabilities);
        } else {
            MaskedSoftmax.forward(probabilities, mask.allowed(), mask.penalty(), rowStatistic,
                    probabilities);
        }

        // 4. context = P·V, heads merged back to [B, T, C]
        Nd4j.matmul(probabilities, values, context, false, false, false);

        // 5. output projection
        return output.forward(mergeHeads(context, merged));
    }

    /**
     * @param dOut [B, T, C]
     * @return dX [B, T, C], the sum of the gradients through q, k and v; a buffer this layer
     *     overwrites on its next backward
     */
    INDArray backward(INDArray dOut) {

        // 1. through the output projection: dContext [B, H, T, D]
        INDArray dContext = splitHeads(output.backward(dOut));

        // 2. context = P·V: dP = dContext·Vᵀ [B, H, T, T], dV = Pᵀ·dContext [B, H, T, D]
        Nd4j.matmul(dContext, values, dProbabilities, false, true, false);
        Nd4j.matmul(probabilities, dContext, dValues, true, false, false);

        // 3. through the softmax and the 1/√D scale
        MaskedSoftmax.backward(probabilities, dProbabilities, rowStatistic, dScores).muli(scale);

        // 4. scores = Q·Kᵀ: dQ = dScores·K, dK = dScoresᵀ·Q, each [B, H, T, D]
        Nd4j.matmul(dScores, keys, dQueries, false, false, false);
        Nd4j.matmul(dScores, queries, dKeys, true, false, false);

        // 5. through the three projections; x fed all of them, so their gradients add up,
        //    inside the gemms of dX (β = 0, then 1): dX [N, C] = Σ dProjection·Wᵀ
        INDArray dRows = dInput.reshape('c', dInput.length() / width, width);
        query.backwardInto(mergeHeads(dQueries, dMerged), dRows, 0.0);
        key.backwardInto(mergeHeads(dKeys, dMerged), dRows, 1.0);
        value.backwardInto(mergeHeads(dValues, dMerged), dRows, 1.0);
        return dInput;
    }

    /** Probabilities [B, H, T, T] of the latest forward (a live buffer, not a copy). */
    INDArray probabilities() {
        return probabilities;
    }

    /** [B, T, C] → [B, H, T, D], a permuted view. */
    private INDArray splitHeads(INDArray x) {
        long batch = x.size(0);
        long length = x.size(1);
        return x.reshape('c', batch, length, heads, headSize).permute(0, 2, 1, 3);
    }

    /** [B, H, T, D] → [B, T, C], copied into out. */
    private INDArray mergeHeads(INDArray x, INDArray out) {
        long batch = x.size(0);
        long length = x.size(2);
        out.reshape('c', batch, length, heads, headSize).assign(x.permute(0, 2, 1, 3));
        return out;
    }

    /** (Re)allocates the buffers when the batch shape changes. */
    private void allocate(DataType type, long batch, long length) {
        probabilities = Tensors.reuse(probabilities, type, batch, heads, length, length);
        rowStatistic = Tensors.reuse(rowStatistic, type, batch, heads, length, 1);
        dProbabilities = Tensors.reuse(dProbabilities, type, batch, heads, length, length);
        dScores = Tensors.reuse(dScores, type, batch, heads, length, length);
        context = Tensors.reuse(context, type, batch, heads, length, headSize);
        dValues = Tensors.reuse(dValues, type, batch, heads, length, headSize);
        dQueries = Tensors.reuse(dQueries, type, batch, heads, length, headSize);
        dKeys = Tensors.reuse(dKeys, type, batch, heads, length, headSize);
        merged = Tensors.reuse(merged, type, batch, length, width);
        dMerged = Tensors.reuse(dMerged, type, batch, length, width);
        dInput = Tensors.reuse(dInput, type, batch, length, width);
    }
}
