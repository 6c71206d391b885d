package dev.gradlens.nn;

import java.util.Arrays;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The three BLAS products the layers use (gemm, gemv, ger), called on the arrays' own memory in
 * the OpenBLAS library that ND4J itself loads, without ND4J's op layer in between.
 *
 * <p>Why: {@code Nd4j.gemm} builds an {@code Mmul} op for every call and runs it through ND4J's
 * executioner before it reaches the same {@code cblas_sgemm}. Measured on 2 cores, float32,
 * each call alone (median of 100): a [256, 256]·[256, 256] product 424 µs through
 * {@code Nd4j.gemm} and 202 µs called directly; the column sums of [256, 256] 133 µs as a gemm
 * with a column of ones and 4 µs as a gemv; a bias added to every row of [256, 256] 140 µs with
 * {@code addiRowVector} and 10 µs as a ger. Inside a training step each call costs more (OpenBLAS
 * wakes its second thread for it: a gemv or ger took 58-143 µs there), and engine steps that
 * alternated between the two ways in one JVM ran 1.09 times faster this way on the benchmark's
 * configurations (a) and (b), 1.015 times on (c), whose products are large (bench/README.md).
 *
 * <p>Matrices are called directly when they are float32 or float64 (all of one type), two
 * dimensional and row-major with unit column stride (views with a row stride, such as a
 * parameter's view of its flat buffer, qualify); vectors when their elements are equally
 * spaced. Anything else goes through the equivalent ND4J call, with the same result. Shapes are
 * checked before any native call, since BLAS would read or write out of bounds instead.
 */
final class Blas {

    private static final int ROW_MAJOR = 101; // CblasRowMajor
    private static final int NO_TRANS = 111; // CblasNoTrans
    private static final int TRANS = 112; // CblasTrans

    private Blas() {
    }

    /**
     * c = α·op(a)·op(b) + β·c, where op transposes when asked: the contract of
     * {@code Nd4j.gemm(a, b, c, transA, transB, alpha, beta)}.
     *
     * @param a [m, k], or [k, m] when transA
     * @param b [k, n], or [n, k] when transB
     * @param c [m, n], written in place
     * @throws IllegalArgumentException when the shapes do not fit together
     */
    static void gemm(INDArray a, INDArray b, INDArray c, boolean transA, boolean transB,
            double alpha, double beta) {
        if (a.rank() != 2 || b.rank() != 2 || c.rank() != 2) {
            throw new IllegalArgumentException("gemm: needs matrices, got " + shapeOf(a, false)
                    + ", " + shapeOf(b, false) + " and " + shapeOf(c, false));
        }
        long m = c.size(0);
        long n = c.size(1);
        long k = transA ? a.size(0) : a.size(1);
        long aRows = transA ? a.size(1) : a.size(0);
        long bRows = transB ? b.size(1) : b.size(0);
        long bColumns = transB ? b.size(0) : b.size(1);
        if (aRows != m || bRows != k || bColumns != n) {
            throw new IllegalArgumentException("gemm: cannot multiply " + shapeOf(a, transA)
                    + " by " + shapeOf(b, transB) + " into " + shapeOf(c, false));
        }
        DataType type = commonType(a, b, c);
        if (type == null || !isMatrix(a) || !isMatrix(b) || !isMatrix(c)) {
            Nd4j.gemm(a, b, c, transA, transB, alpha, beta);
            return;
        }

        int opA = transA ? TRANS : NO_TRANS;
        int opB = transB ? TRANS : NO_TRANS;
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(ROW_MAJOR, opA, opB, toInt(m), toInt(n), toInt(k),
                    (float) alpha, floats(a), leading(a), floats(b), leading(b), (float) beta,
                    floats(c), leading(c));
        } else {
            openblas_nolapack.cblas_dgemm(ROW_MAJOR, opA, opB, toInt(m), toInt(n), toInt(k),
                    alpha, doubles(a), leading(a), doubles(b), leading(b), beta, doubles(c),
                    leading(c));
        }
    }

    /**
     * y = α·op(a)·x + β·y: with transA the column sums of a weighted by x, otherwise its row
     * sums weighted by x.
     *
     * @param a [m, n]
     * @param x [n], or [m] when transA; any shape with that many equally spaced elements
     * @param y [m], or [n] when transA; the same, written in place
     * @throws IllegalArgumentException when the lengths do not fit a
     */
    static void gemv(INDArray a, boolean transA, INDArray x, INDArray y, double alpha,
            double beta) {
        long inLength = transA ? a.size(0) : a.size(1);
        long outLength = transA ? a.size(1) : a.size(0);
        if (a.rank() != 2 || x.length() != inLength || y.length() != outLength) {
            throw new IllegalArgumentException("gemv: cannot multiply " + shapeOf(a, transA)
                    + " by a vector of " + x.length() + " into one of " + y.length());
        }
        DataType type = commonType(a, x, y);
        if (type == null || !isMatrix(a) || increment(x) == 0 || increment(y) == 0) {
            INDArray product = (transA ? a.transpose() : a).mmul(x.reshape(inLength, 1));
            y.muli(beta).addi(product.reshape(y.shape()).muli(alpha));
            return;
        }

        int op = transA ? TRANS : NO_TRANS;
        int rows = toInt(a.size(0));
        int columns = toInt(a.size(1));
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemv(ROW_MAJOR, op, rows, columns, (float) alpha,
                    floats(a), leading(a), floats(x), increment(x), (float) beta, floats(y),
                    increment(y));
        } else {
            openblas_nolapack.cblas_dgemv(ROW_MAJOR, op, rows, columns, alpha, doubles(a),
                    leading(a), doubles(x), increment(x), beta, doubles(y), increment(y));
        }
    }

    /**
     * a = a + α·x·yᵀ (a rank-one update): with x a column of ones it adds y to every row of a,
     * with y a row of ones it adds x to every column.
     *
     * @param x [m]; any shape with m equally spaced elements
     * @param y [n]; likewise
     * @param a [m, n], written in place
     * @throws IllegalArgumentException when the lengths do not fit a
     */
    static void ger(double alpha, INDArray x, INDArray y, INDArray a) {
        if (a.rank() != 2 || x.length() != a.size(0) || y.length() != a.size(1)) {
            throw new IllegalArgumentException("ger: cannot add the outer product of vectors of "
                    + x.length() + " and " + y.length() + " to " + shapeOf(a, false));
        }
        DataType type = commonType(a, x, y);
        if (type == null || !isMatrix(a) || increment(x) == 0 || increment(y) == 0) {
            INDArray outer = x.reshape(x.length(), 1).mmul(y.reshape(1, y.length()));
            a.addi(outer.muli(alpha));
            return;
        }

        int rows = toInt(a.size(0));
        int columns = toInt(a.size(1));
        if (type == DataType.FLOAT) {
            openblas_nolapack.cblas_sger(ROW_MAJOR, rows, columns, (float) alpha, floats(x),
                    increment(x), floats(y), increment(y), floats(a), leading(a));
        } else {
            openblas_nolapack.cblas_dger(ROW_MAJOR, rows, columns, alpha, doubles(x),
                    increment(x), doubles(y), increment(y), doubles(a), leading(a));
        }
    }

    /** float32 or float64 when every array has it, otherwise null (the ND4J path). */
    private static DataType commonType(INDArray first, INDArray... others) {
        DataType type = first.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            return null;
        }
        for (INDArray other : others) {
            if (other.dataType() != type) {
                return null;
            }
        }
        return type;
    }

    /** Two dimensional, row-major, unit column stride, rows at least a row apart. */
    private static boolean isMatrix(INDArray x) {
        if (x.rank() != 2 || x.isEmpty()) {
            return false;
        }
        boolean unitColumns = x.size(1) == 1 || x.stride(1) == 1;
        return unitColumns && leading(x) >= Math.max(1, x.size(1));
    }

    /** The row stride BLAS calls lda: the distance between the starts of two rows. */
    private static int leading(INDArray matrix) {
        long rowStride = matrix.size(0) == 1 ? Math.max(1, matrix.size(1)) : matrix.stride(0);
        return toInt(rowStride);
    }

    /** The distance between two consecutive elements of a vector, or 0 when not constant. */
    private static int increment(INDArray vector) {
        if (vector.isEmpty()) {
            return 0;
        }
        if (vector.length() == 1) {
            return 1;
        }
        int along = -1;
        for (int d = 0; d < vector.rank(); d++) {
            if (vector.size(d) != 1) {
                if (along >= 0) {
                    return 0; // more than one dimension of size above 1: not a vector
                }
                along = d;
            }
        }
        long stride = vector.stride(along);
        return stride > 0 && stride <= Integer.MAX_VALUE ? (int) stride : 0;
    }

    private static FloatPointer floats(INDArray x) {
        return new FloatPointer(x.data().addressPointer()); // starts at the view's offset
    }

    private static DoublePointer doubles(INDArray x) {
        return new DoublePointer(x.data().addressPointer());
    }

    private static int toInt(long size) {
        return Math.toIntExact(size);
    }

    private static String shapeOf(INDArray x, boolean transposed) {
        if (x.rank() != 2) {
            return Arrays.toString(x.shape());
        }
        long rows = transposed ? x.size(1) : x.size(0);
        long columns = transposed ? x.size(0) : x.size(1);
        return "[" + rows + ", " + columns + "]" + (transposed ? " (transposed)" : "");
    }
}
