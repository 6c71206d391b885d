package dev.gradlens.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Affine layer y = x·W + b over the last dimension, with W shaped [in, out] and b [out].
 *
 * <p>Any leading dimensions are flattened into rows, so [B, T, in] costs one matrix multiply.
 */
final class Linear {

    private final String name;
    private final int in;
    private final int out;
    private final Parameter weight; // [in, out]
    private final Parameter bias; // [out]

    private INDArray input; // [N, in] rows of the latest forward input
    private long[] inputShape; // [..., in] as given to forward
    private INDArray output; // [N, out] reused between calls of the same shape
    private INDArray dInput; // [N, in] reused between calls of the same shape
    private INDArray ones; // [N, 1] for the bias: added to every row, summed over rows

    Linear(String name, int in, int out, Initializer init) {
        this.name = name;
        this.in = in;
        this.out = out;
        this.weight = new Parameter(name + ".weight", init.normal(in, out));
        this.bias = new Parameter(name + ".bias", init.zeros(out));
    }

    List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    Parameter weight() {
        return weight;
    }

    Parameter bias() {
        return bias;
    }

    /**
     * @param x [..., in]
     * @return y [..., out]; a buffer this layer overwrites on its next forward
     */
    INDArray forward(INDArray x) {
        Tensors.requireLastDim("Linear " + name, x, in);
        Tensors.requireType("Linear " + name, x, weight.value().dataType());
        inputShape = x.shape();
        input = Tensors.rows(x);
        long n = input.size(0);

        // 1. y = x·W over all N rows, one gemm [N, in]·[in, out]
        output = Tensors.reuse(output, x.dataType(), n, out);
        Blas.gemm(input, weight.value(), output, false, false, 1.0, 0.0);

        // 2. y += 1·bᵀ, a rank-one update that adds b to every row
        ones = Tensors.ones(ones, x.dataType(), n);
        Blas.ger(1.0, ones, bias.value(), output);
        return output.reshape('c', Tensors.withLastDim(x, out));
    }

    /**
     * Accumulates dW += xᵀ·dY and db += Σ_rows dY, and returns dX = dY·Wᵀ.
     *
     * @param dOut [..., out], the same leading shape as the latest forward input
     * @return dX [..., in]; a buffer this layer overwrites on its next backward
     */
    INDArray backward(INDArray dOut) {
        dInput = Tensors.reuse(dInput, dOut.dataType(), input.size(0), in); // [N, in]
        backwardInto(dOut, dInput, 0.0);
        return dInput.reshape('c', inputShape);
    }

    /**
     * {@link #backward}, with dX written into a caller's buffer as dX = dY·Wᵀ + β·dX, so that
     * the gradients of several layers fed by one input add up inside the gemm (β = 1).
     *
     * @param dOut [..., out], the same leading shape as the latest forward input
     * @param dX [N, in], C-ordered
     */
    void backwardInto(INDArray dOut, INDArray dX, double beta) {
        Tensors.requireLastDim("Linear " + name, dOut, out);
        INDArray dY = Tensors.rows(dOut); // [N, out]
        if (dY.size(0) != input.size(0)) {
            throw new IllegalArgumentException("Linear " + name + ": expected " + input.size(0)
                    + " rows of gradient, got " + dY.size(0));
        }

        // 1. parameter gradients, accumulated in place: dW [in, out] += xᵀ·dY (gemm with
        //    beta = 1), db [out] += dYᵀ·1 (the column sums of dY, one gemv)
        Blas.gemm(input, dY, weight.grad(), true, false, 1.0, 1.0);
        ones = Tensors.ones(ones, dY.dataType(), dY.size(0));
        Tensors.addColumnSums(dY, bias.grad(), ones);

        // 2. gradient of the input: dX [N, in] = dY·Wᵀ + β·dX
        Blas.gemm(dY, weight.value(), dX, false, true, 1.0, beta);
    }
}
