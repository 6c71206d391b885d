package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.ParameterBuffer;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BlasOpsTest {

    /** A [2] vector, a [2, 2] matrix and a [2] vector packed into one buffer; P = 8. */
    private static List<Parameter> packed(DataType type) {
        List<Parameter> parameters = List.of(
                new Parameter("a", Nd4j.createFromArray(3.0, 4.0).castTo(type)),
                new Parameter("m", Nd4j.createFromArray(new double[][] {{1, 2}, {2, 4}})
                        .castTo(type)),
                new Parameter("z", Nd4j.createFromArray(-6.0, 8.0).castTo(type)));
        ParameterBuffer.of(parameters);
        return parameters;
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void l2NormReadsEachViewAtItsOwnOffset(DataType type) {
        List<Parameter> parameters = packed(type);

        assertThat(BlasOps.l2Norm(parameters.get(0).value())).isEqualTo(5);
        assertThat(BlasOps.l2Norm(parameters.get(1).value())).isEqualTo(5);
        assertThat(BlasOps.l2Norm(parameters.get(2).value())).isEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void l2NormOfNonFiniteOrOverflowingValuesIsNotFinite(DataType type) {
        INDArray infinite = Nd4j.createFromArray(1.0, Double.POSITIVE_INFINITY).castTo(type);
        INDArray nan = Nd4j.createFromArray(Double.NaN, 1.0).castTo(type);

        assertThat(BlasOps.l2Norm(infinite)).isInfinite();
        assertThat(BlasOps.l2Norm(nan)).isNaN();
        assertThat(BlasOps.l2Norm(Nd4j.createFromArray(3e38f, 3e38f))).isInfinite();
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void l2NormOfANonContiguousArrayFallsBackToNorm2(DataType type) {
        INDArray columns = Nd4j.createFromArray(new double[][] {{3, 1}, {4, 1}}).castTo(type)
                .getColumn(0);

        assertThat(BlasOps.l2Norm(columns)).isCloseTo(5, within(1e-6));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void axpyAddsAScaledArrayInPlace(DataType type) {
        INDArray y = Nd4j.createFromArray(1.0, 2.0, 3.0).castTo(type);

        BlasOps.axpy(-0.5, Nd4j.createFromArray(2.0, 4.0, 8.0).castTo(type), y);

        assertThat(y.castTo(DataType.DOUBLE).toDoubleVector()).containsExactly(0, 0, -1);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void scalScalesInPlaceAndOnlyItsOwnView(DataType type) {
        List<Parameter> parameters = packed(type);

        BlasOps.scal(-0.5, parameters.get(1).value());

        assertThat(parameters.get(0).value().castTo(DataType.DOUBLE).toDoubleVector())
                .containsExactly(3, 4);
        assertThat(parameters.get(1).value().castTo(DataType.DOUBLE).toDoubleMatrix())
                .isDeepEqualTo(new double[][] {{-0.5, -1}, {-1, -2}});
        assertThat(parameters.get(2).value().castTo(DataType.DOUBLE).toDoubleVector())
                .containsExactly(-6, 8);
    }
}
