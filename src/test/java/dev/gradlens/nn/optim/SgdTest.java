package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class SgdTest {

    private static final double TOLERANCE = 1e-12;

    private static Parameter vector(double... values) {
        return new Parameter("w", Nd4j.createFromArray(values));
    }

    @Test
    void momentumOverThreeSteps() {
        // v = 0.9·v + g, W −= 0.1·v with g = 1, −1, 2:
        // v = 1, −0.1, 1.91; W = 0.9, 0.91, 0.719
        Parameter w = vector(1);
        Sgd sgd = new Sgd(List.of(w), 0.9);
        double[] gradients = {1, -1, 2};
        double[] expected = {0.9, 0.91, 0.719};

        for (int t = 0; t < 3; t++) {
            w.grad().assign(gradients[t]);
            sgd.step(0.1, t + 1, 1);
            assertThat(w.value().getDouble(0)).isCloseTo(expected[t], within(TOLERANCE));
        }
        assertThat(sgd.state().get("sgd.velocity.w").getDouble(0))
                .isCloseTo(1.91, within(TOLERANCE));
    }

    @Test
    void withoutMomentumIsPlainGradientDescentOnEveryElement() {
        Parameter w = vector(1, 2, 3);
        Sgd sgd = new Sgd(List.of(w), 0);
        w.grad().assign(Nd4j.createFromArray(10.0, 0.0, -10.0));

        sgd.step(0.5, 1, 1);

        assertThat(w.value().toDoubleVector()).containsExactly(-4, 2, 8);
        assertThat(w.grad().toDoubleVector()).containsExactly(10, 0, -10);
    }

    @Test
    void returnsTheUpdateAndAppliesTheGradScale() {
        Parameter w = vector(1);
        Sgd sgd = new Sgd(List.of(w), 0.9);
        w.grad().assign(4);

        double delta = sgd.step(0.1, 1, 0.5).get(0).getDouble(0);

        assertThat(delta).isCloseTo(-0.2, within(TOLERANCE));
        assertThat(w.value().getDouble(0)).isCloseTo(0.8, within(TOLERANCE));
    }

    @Test
    void momentumOutsideUnitIntervalIsRejected() {
        assertThatThrownBy(() -> new Sgd(List.of(vector(1)), 1.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("momentum");
    }
}
