package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.nn.InvalidConfigException;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    private static final double TOLERANCE = 1e-15;

    /** Peak 6e-4, floor 6e-5, warm-up 10 steps, cosine ends at step 110. */
    private final LearningRateSchedule schedule = new LearningRateSchedule(
            OptimizerConfig.adamW(6e-4).withWarmupCosine(10, 110, 6e-5));

    @Test
    void warmsUpLinearlyToThePeak() {
        assertThat(schedule.rateAt(1)).isCloseTo(6e-5, within(TOLERANCE));
        assertThat(schedule.rateAt(5)).isCloseTo(3e-4, within(TOLERANCE));
        assertThat(schedule.rateAt(10)).isCloseTo(6e-4, within(TOLERANCE));
    }

    @Test
    void decaysAlongTheCosine() {
        // step 35: progress 1/4, 6e-5 + ½·5.4e-4·(1 + cos(π/4)) = 5.2091883e-4
        assertThat(schedule.rateAt(35)).isCloseTo(5.209188309203679e-4, within(TOLERANCE));
        // step 60: progress 1/2, 6e-5 + ½·5.4e-4 = 3.3e-4
        assertThat(schedule.rateAt(60)).isCloseTo(3.3e-4, within(TOLERANCE));
    }

    @Test
    void staysAtTheFloorFromTheEndOfTheDecay() {
        assertThat(schedule.rateAt(110)).isCloseTo(6e-5, within(TOLERANCE));
        assertThat(schedule.rateAt(1_000_000)).isCloseTo(6e-5, within(TOLERANCE));
    }

    @Test
    void constantScheduleNeverChanges() {
        LearningRateSchedule constant = new LearningRateSchedule(OptimizerConfig.adamW(3e-3));

        assertThat(constant.rateAt(1)).isEqualTo(3e-3);
        assertThat(constant.rateAt(12345)).isEqualTo(3e-3);
    }

    @Test
    void stepZeroIsRejected() {
        assertThatThrownBy(() -> schedule.rateAt(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decayEndingBeforeWarmupIsRejected() {
        OptimizerConfig config = OptimizerConfig.adamW(1e-3).withWarmupCosine(100, 50, 0);

        assertThatThrownBy(config::validate).isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).field()).isEqualTo("decaySteps");
    }

    @Test
    void floorAbovePeakIsRejected() {
        OptimizerConfig config = OptimizerConfig.adamW(1e-3).withWarmupCosine(10, 50, 1e-2);

        assertThatThrownBy(config::validate).isInstanceOf(InvalidConfigException.class)
                .extracting(e -> ((InvalidConfigException) e).field())
                .isEqualTo("minLearningRate");
    }
}
