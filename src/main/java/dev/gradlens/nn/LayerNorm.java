package dev.gradlens.nn;

import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer normalisation over the last dimension (Ba, Kiros and Hinton 2016):
 * y = (x − mean) / sqrt(var + eps) · w + b, with the biased variance and eps inside the root.
 */
final class LayerNorm {

    static final double EPS = 1e-5;

    private final String name;
    private final int width;
    private final Parameter weight; // [C]
    private final Parameter bias; // [C]

    private long[] inputShape; // [..., C]
    private INDArray normalised; // [N, C] x̂ of the latest forward
    private INDArray inverseStd; // [N, 1] 1 / sqrt(var + eps)
    private INDArray output; // [N, C] buffer, reused while the shape holds
    private INDArray scratch; // [N, C] buffer for products
    private INDArray dInput; // [N, C] buffer
    private INDArray rowMean; // [N, 1] buffer for the per-row means of forward and backward
    private INDArray rowMean2; // [N, 1] buffer for a second per-row mean in backward
    private INDArray ones; // [N, 1] for the parameter gradients' sums over rows

    LayerNorm(String name, int width, Initializer init) {
        this.name = name;
        this.width = width;
        this.weight = new Parameter(name + ".weight", init.ones(width));
        this.bias = new Parameter(name + ".bias", init.zeros(width));
    }

    List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    /**
     * @param x [..., C]
     * @return y [..., C]; a buffer this layer overwrites on its next forward
     */
    INDArray forward(INDArray x) {
        Tensors.requireLastDim("LayerNorm " + name, x, width);
        inputShape = x.shape();
        INDArray rows = Tensors.rows(x); // [N, C]
        long n = rows.size(0);
        normalised = Tensors.reuse(normalised, x.dataType(), n, width);
        scratch = Tensors.reuse(scratch, x.dataType(), n, width);
        output = Tensors.reuse(output, x.dataType(), n, width);
        rowMean = Tensors.reuse(rowMean, x.dataType(), n, 1);
        inverseStd = Tensors.reuse(inverseStd, x.dataType(), n, 1);

        // 1. mean and biased variance of each row
        normalised.assign(rows).subiColumnVector(rows.mean(rowMean, true, 1)); // x − mean
        normalised.mul(normalised, scratch).mean(inverseStd, true, 1); // variance [N, 1]

        // 2. normalise: x̂ = (x − mean) / sqrt(var + eps)
        Transforms.sqrt(inverseStd.addi(EPS), false).rdivi(1.0);
        normalised.muliColumnVector(inverseStd);

        // 3. scale and shift
        output.assign(normalised).muliRowVector(weight.value()).addiRowVector(bias.value());
        return output.reshape('c', inputShape);
    }

    /**
     * Accumulates dw += Σ dy ⊙ x̂ and db += Σ dy, and returns dx from the normalised input:
     * dx = (dx̂ − mean(dx̂) − x̂ ⊙ mean(dx̂ ⊙ x̂)) / sqrt(var + eps), where dx̂ = dy ⊙ w and the
     * means run over the C features of each row.
     *
     * @param dOut [..., C]
     * @return dx [..., C]; a buffer this layer overwrites on its next backward
     */
    INDArray backward(INDArray dOut) {
        Tensors.requireShape("LayerNorm " + name, "gradient", dOut, inputShape);
        INDArray dY = Tensors.rows(dOut); // [N, C]
        long n = dY.size(0);
        dInput = Tensors.reuse(dInput, dOut.dataType(), n, width);
        rowMean2 = Tensors.reuse(rowMean2, dOut.dataType(), n, 1);
        ones = Tensors.ones(ones, dOut.dataType(), n);

        // 1. parameter gradients, summed over rows
        Tensors.addColumnSums(dY.mul(normalised, scratch), weight.grad(), ones);
        Tensors.addColumnSums(dY, bias.grad(), ones);

        // 2. gradient of the normalised input: dx̂ = dy ⊙ w
        INDArray dNormalised = dInput.assign(dY).muliRowVector(weight.value()); // [N, C]

        // 3. through the mean and the variance
        INDArray meanD = dNormalised.mean(rowMean, true, 1); // [N, 1]
        INDArray meanDx = dNormalised.mul(normalised, scratch).mean(rowMean2, true, 1); // [N, 1]
        scratch.assign(normalised).muliColumnVector(meanDx); // x̂ ⊙ mean(dx̂ ⊙ x̂)
        dNormalised.subiColumnVector(meanD).subi(scratch).muliColumnVector(inverseStd);
        return dInput.reshape('c', inputShape);
    }
}
