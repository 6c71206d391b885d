package dev.gradlens.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Token embedding: row {@code id} of a [V, C] table for every token id.
 *
 * <p>The backward pass is a scatter-add: dW[id] += dOut[b, t] for every position holding id, so a
 * token that occurs several times accumulates all of its gradients. It is computed as
 * onehotᵀ·dOut, one matrix multiply that needs no locking and always sums in the same order.
 */
final class TokenEmbedding {

    private final Parameter weight; // [V, C]
    private final int vocabSize;
    private final int width;

    private int[] ids; // [N] = [B·T] ids of the latest forward, row-major
    private long[] outputShape; // [B, T, C]
    private INDArray output; // [N, C] buffer, reused while the shape holds
    private INDArray oneHot; // [N, V] buffer for the backward's scatter-add

    TokenEmbedding(String name, int vocabSize, int width, Initializer init) {
        this.vocabSize = vocabSize;
        this.width = width;
        this.weight = new Parameter(name + ".weight", init.normal(vocabSize, width));
    }

    List<Parameter> parameters() {
        return List.of(weight);
    }

    Parameter weight() {
        return weight;
    }

    /**
     * @param tokenIds [B·T] ids in [0, V), row-major over (b, t)
     * @return [B, T, C]; a buffer this layer overwrites on its next forward
     */
    INDArray forward(int[] tokenIds, int batch, int length) {
        if (tokenIds.length != batch * length) {
            throw new IllegalArgumentException("TokenEmbedding: expected " + batch * length
                    + " ids for [" + batch + ", " + length + "], got " + tokenIds.length);
        }
        for (int id : tokenIds) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("TokenEmbedding: token id " + id
                        + " is outside [0, " + vocabSize + ")");
            }
        }
        ids = tokenIds.clone();
        outputShape = new long[] {batch, length, width};

        // 1. gather rows: out[b, t] = W[ids[b, t]]
        output = Tensors.reuse(output, weight.value().dataType(), ids.length, width);
        Nd4j.pullRows(weight.value(), output, 1, ids);
        return output.reshape('c', outputShape);
    }

    /**
     * Accumulates dW += onehot(ids)ᵀ·dOut. Token ids are not differentiable, so nothing is
     * returned.
     *
     * @param dOut [B, T, C]
     */
    void backward(INDArray dOut) {
        Tensors.requireShape("TokenEmbedding", "gradient", dOut, outputShape);

        // 1. one-hot rows [N, V] of the ids of the latest forward
        oneHot = Tensors.reuse(oneHot, dOut.dataType(), ids.length, vocabSize);
        oneHot.assign(0);
        for (int i = 0; i < ids.length; i++) {
            oneHot.putScalar(i, ids[i], 1.0);
        }

        // 2. scatter-add as one gemm: dW [V, C] += onehotᵀ [V, N] · dOut [N, C]
        Blas.gemm(oneHot, Tensors.rows(dOut), weight.grad(), true, false, 1.0, 1.0);
    }
}
