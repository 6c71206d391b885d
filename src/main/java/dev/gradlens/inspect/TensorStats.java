package dev.gradlens.inspect;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Summary of one tensor. Moments, extremes, norm and histogram cover its finite elements; NaN and
 * infinite elements are only counted in {@code nonFiniteCount}. Figures that do not exist (no
 * finite element, no step yet) are null.
 *
 * @param count elements
 * @param std population standard deviation (divides by the number of finite elements)
 * @param l2Norm square root of the sum of squares
 * @param zeroFraction elements exactly 0, over all elements
 * @param updateRatio ‖ΔW‖/‖W‖ of the latest step (0 when it applied no update); null before the
 *     first step
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TensorStats(
        String name,
        long[] shape,
        long count,
        Double mean,
        Double std,
        Double min,
        Double max,
        Double l2Norm,
        double zeroFraction,
        Double updateRatio,
        long nonFiniteCount,
        Histogram histogram) {

    /** Statistics of {@code values} (C order) with a {@code bins}-bin histogram. */
    static TensorStats of(String name, long[] shape, double[] values, int bins,
            Double updateRatio) {
        long finite = 0;
        long zeros = 0;
        double sum = 0;
        double sumSquares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (v == 0) {
                zeros++;
            }
            if (Double.isFinite(v)) {
                finite++;
                sum += v;
                sumSquares += v * v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        long count = values.length;
        Double mean = finite > 0 ? sum / finite : null;
        Double std = finite > 0 ? Math.sqrt(varianceOf(values, mean)) : null;
        return new TensorStats(name, shape, count, mean, std,
                finite > 0 ? min : null, finite > 0 ? max : null,
                finite > 0 ? Math.sqrt(sumSquares) : null,
                count == 0 ? 0 : (double) zeros / count, updateRatio, count - finite,
                Histogram.of(values, bins, min, max));
    }

    /** Two-pass population variance of the finite values, around their mean. */
    private static double varianceOf(double[] values, double mean) {
        double squares = 0;
        long n = 0;
        for (double v : values) {
            if (Double.isFinite(v)) {
                squares += (v - mean) * (v - mean);
                n++;
            }
        }
        return squares / n;
    }
}
