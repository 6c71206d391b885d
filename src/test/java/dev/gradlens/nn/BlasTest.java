package dev.gradlens.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Blas against products written out as plain loops in double, for contiguous matrices, views
 * with an offset and a row stride (the direct BLAS path) and transposed or column-major views
 * (the ND4J path); the elements around a view must stay as they were.
 */
class BlasTest {

    enum Type {
        FLOAT(DataType.FLOAT, 1e-5), DOUBLE(DataType.DOUBLE, 1e-12);

        final DataType dataType;
        final double tolerance;

        Type(DataType dataType, double tolerance) {
            this.dataType = dataType;
            this.tolerance = tolerance;
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void gemmMatchesLoopsForEveryTransposeAndLayout(Type type) {
        long seed = 1;
        for (boolean transA : List.of(false, true)) {
            for (boolean transB : List.of(false, true)) {
                for (Layout layout : Layout.values()) {
                    INDArray a = layout.make(seed++, type, transA ? 4 : 3, transA ? 3 : 4).view();
                    INDArray b = layout.make(seed++, type, transB ? 5 : 4, transB ? 4 : 5).view();
                    Placed c = layout.make(seed++, type, 3, 5);
                    double[][] expected = plus(times(product(op(a, transA), op(b, transB)), 0.5),
                            times(values(c.view()), -2));

                    Blas.gemm(a, b, c.view(), transA, transB, 0.5, -2);

                    String what = type + " " + layout + " transA " + transA + " transB " + transB;
                    assertClose(what, expected, values(c.view()), type.tolerance);
                    c.assertOutsideUnchanged(what);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void gemvMatchesLoopsAsColumnAndRowSums(Type type) {
        long seed = 100;
        for (boolean transA : List.of(false, true)) {
            for (Layout layout : Layout.values()) {
                INDArray a = layout.make(seed++, type, 6, 4).view();
                INDArray x = Fixtures.random(seed++, 1, type.dataType, transA ? 6 : 4, 1);
                INDArray y = Fixtures.random(seed++, 1, type.dataType, transA ? 4 : 6);
                double[][] column = product(op(a, transA), values(x));
                double[] expected = new double[(int) y.length()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = 3 * column[i][0] + 0.25 * y.getDouble(i);
                }

                Blas.gemv(a, transA, x, y, 3, 0.25);

                String what = type + " " + layout + " transA " + transA;
                assertClose(what, new double[][] {expected}, new double[][] {y.toDoubleVector()},
                        type.tolerance);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void gerAddsTheOuterProduct(Type type) {
        long seed = 200;
        for (Layout layout : Layout.values()) {
            Placed a = layout.make(seed++, type, 3, 4);
            INDArray x = Fixtures.random(seed++, 1, type.dataType, 3, 1);
            INDArray y = Fixtures.random(seed++, 1, type.dataType, 4);
            double[][] expected = values(a.view());
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    expected[i][j] += -1.5 * x.getDouble(i) * y.getDouble(j);
                }
            }

            Blas.ger(-1.5, x, y, a.view());

            assertClose(type + " " + layout, expected, values(a.view()), type.tolerance);
            a.assertOutsideUnchanged(type + " " + layout);
        }
    }

    @Test
    void parameterViewsOfAFlatBufferAreWrittenInPlace() {
        Parameter first = new Parameter("first", Fixtures.random(1, 1, DataType.FLOAT, 7));
        Parameter weight = new Parameter("w", Fixtures.random(2, 1, DataType.FLOAT, 3, 4));
        Parameter bias = new Parameter("b", Fixtures.random(3, 1, DataType.FLOAT, 4));
        ParameterBuffer buffer = ParameterBuffer.of(List.of(first, weight, bias));
        INDArray x = Fixtures.random(4, 1, DataType.FLOAT, 2, 3);
        INDArray dY = Fixtures.random(5, 1, DataType.FLOAT, 2, 4);
        double[][] expected = product(op(x, true), values(dY));
        double[] gradsBefore = buffer.grads().toDoubleVector();

        Blas.gemm(x, dY, weight.grad(), true, false, 1, 1);
        Blas.gemv(dY, true, Nd4j.ones(DataType.FLOAT, 2, 1), bias.grad(), 1, 1);

        assertClose("dW", expected, values(weight.grad()), 1e-5);
        double[] grads = buffer.grads().toDoubleVector();
        for (int j = 0; j < 4; j++) {
            assertThat(grads[7 + 12 + j]).isCloseTo(dY.getDouble(0, j) + dY.getDouble(1, j),
                    within(1e-5));
        }
        for (int i = 0; i < 7; i++) {
            assertThat(grads[i]).as("first's gradient").isEqualTo(gradsBefore[i]);
        }
    }

    @Test
    void shapesThatDoNotFitAreRefusedBeforeAnyNativeCall() {
        INDArray a = Nd4j.zeros(DataType.FLOAT, 3, 4);
        INDArray b = Nd4j.zeros(DataType.FLOAT, 5, 2);
        INDArray c = Nd4j.zeros(DataType.FLOAT, 3, 2);

        assertThatThrownBy(() -> Blas.gemm(a, b, c, false, false, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[3, 4]");
        assertThatThrownBy(() -> Blas.gemv(a, true, Nd4j.zeros(DataType.FLOAT, 4), c, 1, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Blas.ger(1, Nd4j.zeros(DataType.FLOAT, 4),
                Nd4j.zeros(DataType.FLOAT, 4), a)).isInstanceOf(IllegalArgumentException.class);
    }

    /** How a test matrix is laid out in memory. */
    enum Layout {
        /** A plain C-ordered array: the direct path. */
        CONTIGUOUS,
        /** Rows 1.. and columns 2.. of a larger C-ordered array: offset and row stride. */
        BLOCK_VIEW,
        /** The transpose of a C-ordered array (column-major): the ND4J path. */
        TRANSPOSED;

        Placed make(long seed, Type type, int rows, int columns) {
            return switch (this) {
                case CONTIGUOUS -> Placed.whole(Fixtures.random(seed, 1, type.dataType, rows,
                        columns));
                case BLOCK_VIEW -> Placed.block(Fixtures.random(seed, 1, type.dataType, rows + 2,
                        columns + 3), rows, columns);
                case TRANSPOSED -> Placed.whole(Fixtures.random(seed, 1, type.dataType, columns,
                        rows).transpose());
            };
        }
    }

    /** A test matrix and the array it lives in (itself, or a larger one for a block view). */
    record Placed(INDArray base, INDArray view, INDArray baseBefore) {

        static Placed whole(INDArray matrix) {
            return new Placed(matrix, matrix, matrix.dup());
        }

        static Placed block(INDArray base, int rows, int columns) {
            INDArray view = base.get(NDArrayIndex.interval(1, rows + 1),
                    NDArrayIndex.interval(2, columns + 2));
            return new Placed(base, view, base.dup());
        }

        /** Every element of the base outside the view still holds its value from before. */
        void assertOutsideUnchanged(String what) {
            if (view == base) {
                return;
            }
            INDArray expected = baseBefore.dup();
            expected.get(NDArrayIndex.interval(1, view.rows() + 1),
                    NDArrayIndex.interval(2, view.columns() + 2)).assign(view);
            assertThat(base.equals(expected)).as("%s: elements around the view", what).isTrue();
        }
    }

    private static INDArray op(INDArray x, boolean transposed) {
        return transposed ? x.transpose() : x;
    }

    private static double[][] values(INDArray x) {
        double[][] rows = new double[(int) x.rows()][(int) x.columns()];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                rows[i][j] = x.getDouble(i, j);
            }
        }
        return rows;
    }

    private static double[][] product(INDArray a, INDArray b) {
        return product(values(a), values(b));
    }

    private static double[][] product(INDArray a, double[][] b) {
        return product(values(a), b);
    }

    private static double[][] product(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b[0].length; j++) {
                for (int k = 0; k < b.length; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    private static double[][] times(double[][] a, double factor) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] * factor;
            }
        }
        return c;
    }

    private static double[][] plus(double[][] a, double[][] b) {
        double[][] c = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                c[i][j] = a[i][j] + b[i][j];
            }
        }
        return c;
    }

    private static void assertClose(String what, double[][] expected, double[][] actual,
            double tolerance) {
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertThat(actual[i][j]).as("%s at [%d, %d]", what, i, j)
                        .isCloseTo(expected[i][j], within(tolerance));
            }
        }
    }
}
