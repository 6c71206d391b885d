package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void globalNormIsTheNormOfTheConcatenatedGradients() {
        // √(3² + 4² + 12²) = 13
        assertThat(GradientClipping.globalNorm(new double[] {3, 4, 12})).isEqualTo(13.0);
    }

    @Test
    void scalesDownOnlyAboveTheThreshold() {
        assertThat(GradientClipping.scale(5, 1)).isCloseTo(0.2, within(1e-15));
        assertThat(GradientClipping.scale(5, 5)).isEqualTo(1.0);
        assertThat(GradientClipping.scale(5, 10)).isEqualTo(1.0);
    }

    @Test
    void zeroThresholdDisablesClipping() {
        assertThat(GradientClipping.scale(1e9, 0)).isEqualTo(1.0);
    }

    @Test
    void negativeThresholdIsRejected() {
        assertThatThrownBy(() -> GradientClipping.scale(5, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
