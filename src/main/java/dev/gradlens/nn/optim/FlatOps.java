package dev.gradlens.nn.optim;

import dev.gradlens.nn.ParameterBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Whole-buffer helpers shared by the optimizers. */
final class FlatOps {

    private FlatOps() {
    }

    /** y = y + α·x in place, one BLAS call; x and y are whole flat arrays [P] of one type. */
    static void axpy(double alpha, INDArray x, INDArray y) {
        Nd4j.getBlasWrapper().level1().axpy(y.length(), alpha, x, y);
    }

    /**
     * Checks that no parameter of the buffer was packed into another buffer since the optimizer
     * was made: its weights would no longer live in the arrays the optimizer updates.
     *
     * @throws IllegalStateException when the buffer is not intact
     */
    static void requireIntact(ParameterBuffer buffer) {
        if (!buffer.isIntact()) {
            throw new IllegalStateException("some parameters were packed into another buffer "
                    + "since this optimizer was made; it would update arrays they no longer use");
        }
    }
}
