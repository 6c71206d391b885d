package dev.gradlens.nn.optim;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * BLAS level-1 calls shared by the optimizers and the {@link Trainer}. One BLAS call costs far
 * less than an ND4J op (no op object, no result array), and {@code dot} accumulates float32 more
 * accurately than ND4J's {@code norm2}.
 */
final class BlasOps {

    private BlasOps() {
    }

    /** y = y + α·x in place; x and y are contiguous arrays of one length and type. */
    static void axpy(double alpha, INDArray x, INDArray y) {
        Nd4j.getBlasWrapper().level1().axpy(y.length(), alpha, x, y);
    }

    /** x = α·x in place; x is a contiguous array. About four times faster than ND4J's muli. */
    static void scal(double alpha, INDArray x) {
        Nd4j.getBlasWrapper().level1().scal(x.length(), alpha, x);
    }

    /**
     * The L2 norm √(x·x) of a contiguous array (a parameter's view of a flat buffer is one);
     * +∞ when the sum of squares overflows the array's type, NaN when x holds a NaN.
     */
    static double l2Norm(INDArray x) {
        if (x.elementWiseStride() != 1) {
            return x.norm2Number().doubleValue(); // not contiguous: BLAS cannot walk it
        }
        return Math.sqrt(Nd4j.getBlasWrapper().level1().dot(x.length(), 1, x, x));
    }
}
