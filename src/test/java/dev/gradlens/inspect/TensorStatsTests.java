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
        // np.histogram([0, 0.1, 0.3, 1.0], 10) with NumPy 2.4: counts [1,1,1,0,0,0,0,0,0,1]
        // (its edge 3 is 3 * 0.1 = 0.30000000000000004, so 0.3 falls in bin 2)
        Histogram histogram = Histogram.of(new double[] {0, 0.1, 0.3, 1.0}, 10, 0, 1.0);
        assertThat(histogram.counts()).containsExactly(1, 1, 1, 0, 0, 0, 0, 0, 0, 1);
    }

    @Test
    void shouldKeepEdgesFiniteWhenTheRangeOverflowsADouble() {
        double[] values = {-1.5e308, 0, 1.5e308};
        Histogram histogram = Histogram.of(values, 2, -1.5e308, 1.5e308);
        assertThat(histogram.edges()).containsExactly(-1.5e308, 0, 1.5e308);
        assertThat(histogram.counts()).containsExactly(1, 2);
        Histogram fine = Histogram.of(values, 20, -1.5e308, 1.5e308);
        assertThat(java.util.Arrays.stream(fine.edges())).allMatch(Double::isFinite);
        assertThat(fine.edges()[10]).isCloseTo(0, within(1e293));
        Histogram wide = Histogram.of(new double[] {-3e307, 3e307}, 20, -3e307, 3e307);
        assertThat(java.util.Arrays.stream(wide.edges())).allMatch(Double::isFinite);
    }
}
