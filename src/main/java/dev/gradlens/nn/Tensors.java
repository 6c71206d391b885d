package dev.gradlens.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/** Small array helpers shared by the layers: buffer reuse, shape checks and row views. */
final class Tensors {

    private Tensors() {
    }

    /**
     * Returns {@code buffer} when it already has this type and shape, else a new zeroed array. The
     * contents of a reused buffer are stale, so callers must overwrite every element.
     */
    static INDArray reuse(INDArray buffer, DataType type, long... shape) {
        if (buffer != null && buffer.dataType() == type && Arrays.equals(buffer.shape(), shape)) {
            return buffer;
        }
        return Nd4j.create(type, shape);
    }

    /**
     * Returns {@code buffer} when it already is a column of n ones of this type, else a new one.
     *
     * @return ones [n, 1]
     */
    static INDArray ones(INDArray buffer, DataType type, long n) {
        if (buffer != null && buffer.dataType() == type && buffer.size(0) == n) {
            return buffer;
        }
        return Nd4j.ones(type, n, 1);
    }

    /**
     * Adds the column sums of a matrix into target, as one gemv with a column of ones and no
     * temporary array: target [K] += matrixᵀ [K, N] · ones [N].
     *
     * @param matrix [N, K], C-ordered
     * @param target [K] (a parameter gradient or a view of one)
     * @param ones [N, 1] from {@link #ones}
     */
    static void addColumnSums(INDArray matrix, INDArray target, INDArray ones) {
        Blas.gemv(matrix, true, ones, target, 1.0, 1.0);
    }

    /** Views x [..., n] as a C-ordered matrix [N, n], copying only when x is not contiguous. */
    static INDArray rows(INDArray x) {
        long n = x.size(x.rank() - 1);
        INDArray matrix = x.reshape('c', x.length() / n, n);
        boolean plain = matrix.ordering() == 'c' && Shape.hasDefaultStridesForShape(matrix);
        return plain ? matrix : matrix.dup('c');
    }

    /** Leading shape of x with its last dimension replaced by n. */
    static long[] withLastDim(INDArray x, long n) {
        long[] shape = x.shape().clone();
        shape[shape.length - 1] = n;
        return shape;
    }

    /** Throws unless x has at least two dimensions and its last one is {@code expected}. */
    static void requireLastDim(String module, INDArray x, long expected) {
        if (x.rank() < 2 || x.size(x.rank() - 1) != expected) {
            throw new IllegalArgumentException(module + ": expected input [..., " + expected
                    + "], got " + Arrays.toString(x.shape()));
        }
    }

    /** Throws unless x has exactly this shape. */
    static void requireShape(String module, String what, INDArray x, long... expected) {
        if (!Arrays.equals(x.shape(), expected)) {
            throw new IllegalArgumentException(module + ": expected " + what + " "
                    + Arrays.toString(expected) + ", got " + Arrays.toString(x.shape()));
        }
    }

    /** Throws unless x has the model's data type. */
    static void requireType(String module, INDArray x, DataType expected) {
        if (x.dataType() != expected) {
            throw new IllegalArgumentException(module + ": expected data type " + expected
                    + ", got " + x.dataType());
        }
    }
}
