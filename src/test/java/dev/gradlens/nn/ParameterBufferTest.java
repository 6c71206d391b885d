package dev.gradlens.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParameterBufferTest {

    /** Three parameters: a [2] vector, a [3, 2] matrix and a [4] vector; P = 12. */
    private static List<Parameter> threeParameters(DataType type) {
        return List.of(
                new Parameter("a", Nd4j.createFromArray(1.0, 2.0).castTo(type)),
                new Parameter("m", Nd4j.createFromArray(new double[][] {{3, 4}, {5, 6}, {7, 8}})
                        .castTo(type)),
                new Parameter("z", Nd4j.createFromArray(9.0, 10.0, 11.0, 12.0).castTo(type)));
    }

    /** The elements in C order, as doubles. */
    private static double[] flat(INDArray array) {
        return Nd4j.toFlattened('c', array).castTo(DataType.DOUBLE).toDoubleVector();
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void packsValuesAndGradsBackToBackInParameterOrder(DataType type) {
        List<Parameter> parameters = threeParameters(type);
        parameters.get(1).grad().assign(-1);

        ParameterBuffer buffer = ParameterBuffer.of(parameters);

        assertThat(buffer.length()).isEqualTo(12);
        assertThat(buffer.dataType()).isEqualTo(type);
        assertThat(buffer.values().shape()).containsExactly(12);
        assertThat(buffer.offset(0)).isZero();
        assertThat(buffer.offset(1)).isEqualTo(2);
        assertThat(buffer.offset(2)).isEqualTo(8);
        assertThat(flat(buffer.values())).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(flat(buffer.grads())).containsExactly(0, 0, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0);
        assertThat(parameters.get(1).value().shape()).containsExactly(3, 2);
        assertThat(parameters.get(1).value().dataType()).isEqualTo(type);
        assertThat(parameters.get(1).value().getDouble(2, 1)).isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void parameterArraysAreViewsOfTheFlatArraysBothWays(DataType type) {
        List<Parameter> parameters = threeParameters(type);
        ParameterBuffer buffer = ParameterBuffer.of(parameters);
        Parameter matrix = parameters.get(1);

        // parameter → flat: element (1, 0) of m is flat index 2 + 2 = 4
        matrix.value().putScalar(new long[] {1, 0}, 50);
        matrix.grad().addi(0.5);
        assertThat(buffer.values().getDouble(4)).isEqualTo(50);
        assertThat(flat(buffer.grads())).containsExactly(0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0,
                0, 0);

        // flat → parameter: a whole-buffer op reaches every parameter
        buffer.values().muli(2);
        buffer.grads().putScalar(11, 7);
        assertThat(flat(parameters.get(0).value())).containsExactly(2, 4);
        assertThat(matrix.value().getDouble(1, 0)).isEqualTo(100);
        assertThat(parameters.get(2).grad().getDouble(3)).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void gemmWithBetaOneAccumulatesIntoAViewAtItsOffset(DataType type) {
        List<Parameter> parameters = threeParameters(type);
        ParameterBuffer buffer = ParameterBuffer.of(parameters);
        buffer.grads().assign(1);
        INDArray input = Nd4j.createFromArray(new double[][] {{1, 2, 3}, {4, 5, 6}})
                .castTo(type); // [N=2, in=3]
        INDArray dY = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 2}}).castTo(type);

        // as Linear.backward: dW [3, 2] += inputᵀ·dY = [[1, 8], [2, 10], [3, 12]]
        Nd4j.gemm(input, dY, parameters.get(1).grad(), true, false, 1.0, 1.0);

        assertThat(flat(buffer.grads())).containsExactly(1, 1, 2, 9, 3, 11, 4, 13, 1, 1, 1, 1);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void linearLayerWritesItsGradientsIntoTheBufferSegments(DataType type) {
        Parameter before = new Parameter("before", Nd4j.zeros(type, 3));
        Linear linear = new Linear("fc", 2, 2, new Initializer(1, type));
        ParameterBuffer buffer = ParameterBuffer.of(List.of(before, linear.weight(),
                linear.bias()));
        buffer.values().assign(Nd4j.createFromArray(0, 0, 0, 1, 0, 2, 1, 0.5, -1.0)
                .castTo(type));

        // the worked example of LinearTest: y = x·W + b, dY = ones
        INDArray y = linear.forward(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}})
                .castTo(type));
        linear.backward(Nd4j.ones(type, 2, 2));

        assertThat(flat(y)).containsExactly(5.5, 1, 11.5, 3);
        assertThat(flat(buffer.grads())).containsExactly(0, 0, 0, 4, 4, 6, 6, 2, 2);
    }

    @Test
    void viewsOfAStateArrayAreShapedLikeTheParameters() {
        ParameterBuffer buffer = ParameterBuffer.of(threeParameters(DataType.DOUBLE));
        INDArray state = buffer.zeros();

        List<INDArray> views = buffer.views(state);
        views.get(2).assign(3);
        state.putScalar(2, 5);

        assertThat(views).hasSize(3);
        assertThat(views.get(1).shape()).containsExactly(3, 2);
        assertThat(views.get(1).getDouble(0, 0)).isEqualTo(5);
        assertThat(flat(state)).containsExactly(0, 0, 5, 0, 0, 0, 0, 0, 3, 3, 3, 3);
        assertThatThrownBy(() -> buffer.views(Nd4j.zeros(DataType.DOUBLE, 11)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> buffer.views(Nd4j.zeros(DataType.FLOAT, 12)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroGradsClearsEveryParameterGradient() {
        List<Parameter> parameters = threeParameters(DataType.DOUBLE);
        ParameterBuffer buffer = ParameterBuffer.of(parameters);
        parameters.forEach(p -> p.grad().assign(4));

        buffer.zeroGrads();

        assertThat(flat(parameters.get(1).grad())).containsOnly(0);
        assertThat(flat(buffer.grads())).containsOnly(0);
    }

    @Test
    void ofReturnsTheExistingBufferForTheSameParametersInTheSameOrder() {
        List<Parameter> parameters = threeParameters(DataType.DOUBLE);
        ParameterBuffer buffer = ParameterBuffer.of(parameters);

        assertThat(ParameterBuffer.of(List.copyOf(parameters))).isSameAs(buffer);
    }

    @Test
    void repackingInAnotherOrderMovesTheParametersAndLeavesTheOldBufferBroken() {
        List<Parameter> parameters = threeParameters(DataType.DOUBLE);
        ParameterBuffer first = ParameterBuffer.of(parameters);
        first.values().addi(100);

        ParameterBuffer second = ParameterBuffer.of(List.of(parameters.get(2), parameters.get(0),
                parameters.get(1)));

        assertThat(second).isNotSameAs(first);
        assertThat(second.isIntact()).isTrue();
        assertThat(first.isIntact()).isFalse();
        assertThat(flat(second.values())).containsExactly(109, 110, 111, 112, 101, 102, 103, 104,
                105, 106, 107, 108);
        second.values().assign(0);
        assertThat(flat(parameters.get(0).value())).containsExactly(0, 0);
    }

    @Test
    void aTransformerIsPackedAtConstructionInItsParameterOrder() {
        Transformer model = new Transformer(TransformerConfig.of(11, 8, 2, 1, 4));
        ParameterBuffer buffer = model.parameterBuffer();

        assertThat(ParameterBuffer.of(model.parameters())).isSameAs(buffer);
        assertThat(buffer.parameters()).isEqualTo(model.parameters());
        assertThat(buffer.length()).isEqualTo(model.parameterCount());
        Parameter head = model.parameter("lm_head.weight");
        int last = model.parameters().size() - 2;
        assertThat(buffer.offset(last)).isEqualTo(model.parameterCount() - head.length() - 11);
    }

    @Test
    void packingRejectsNoParametersARepeatedOneAndMixedTypes() {
        Parameter a = new Parameter("a", Nd4j.zeros(DataType.DOUBLE, 2));
        Parameter b = new Parameter("b", Nd4j.zeros(DataType.FLOAT, 2));

        assertThatThrownBy(() -> ParameterBuffer.of(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParameterBuffer.of(List.of(a, a)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> ParameterBuffer.of(List.of(a, b)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("FLOAT");
    }
}
