package dev.gradlens.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TensorStatsTests {

    private static final double TOLERANCE = 1e-12;

    @Test
    void shouldComputeMomentsByHand() {
        // values 1, 2, 3, 4, 0: mean 2, population variance (1+0+1+4+4)/5 = 2
        TensorStats stats = TensorStats.of("w", new long[] {5}, new double[] {1, 2, 3, 4, 0}, 4,
                0.5);
        assertThat(stats.count()).isEqualTo(5);
        assertThat(stats.mean()).isCloseTo(2.0, within(TOLERANCE));
        assertThat(stats.std()).isCloseTo(Math.sqrt(2.0), within(TOLERANCE));
        assertThat(stats.min()).isEqualTo(0.0);
        assertThat(stats.max()).isEqualTo(4.0);
        assertThat(stats.l2Norm()).isCloseTo(Math.sqrt(30), within(TOLERANCE));
        assertThat(stats.zeroFraction()).isEqualTo(0.2);
        assertThat(stats.updateRatio()).isEqualTo(0.5);
        // np.histogram([1,2,3,4,0], 4): edges 0,1,2,3,4, counts [1,1,1,2]
        assertThat(stats.histogram().edges()).containsExactly(0, 1, 2, 3, 4);
        assertThat(stats.histogram().counts()).containsExactly(1, 1, 1, 2);
    }

    @Test
    void shouldCountNonFiniteValuesAndSkipThemElsewhere() {
        double[] values = {Double.NaN, 1, Double.POSITIVE_INFINITY, 3, Double.NEGATIVE_INFINITY};
        TensorStats stats = TensorStats.of("g", new long[] {5}, values, 2, null);
        assertThat(stats.nonFiniteCount()).isEqualTo(3);
        assertThat(stats.mean()).isEqualTo(2.0);
        assertThat(stats.std()).isEqualTo(1.0);
        assertThat(stats.l2Norm()).isCloseTo(Math.sqrt(10), within(TOLERANCE));
        assertThat(stats.histogram().counts()).containsExactly(1, 1);
    }

    @Test
    void shouldGiveNullFiguresWhenNothingIsFinite() {
        TensorStats stats = TensorStats.of("g", new long[] {2},
                new double[] {Double.NaN, Double.NaN}, 3, null);
        assertThat(stats.nonFiniteCount()).isEqualTo(2);
        assertThat(stats.mean()).isNull();
        assertThat(stats.min()).isNull();
        assertThat(stats.histogram()).isNull();
    }

    @Test
    void shouldPutTheMaximumInTheLastBin() {
        // np.histogram([0, 0.1, 0.3, 1.0], 10): counts [1,1,0,1,0,0,0,0,0,1]
        Histogram histogram = Histogram.of(new double[] {0, 0.1, 0.3, 1.0}, 10, 0, 1.0);
        assertThat(histogram.counts()).containsExactly(1, 1, 0, 1, 0, 0, 0, 0, 0, 1);
    }
}
