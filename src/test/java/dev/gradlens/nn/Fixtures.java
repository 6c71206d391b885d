package dev.gradlens.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Shared tolerances, random arrays and gradient assertions of the nn tests. */
final class Fixtures {

    /** Largest relative error ‖a − n‖/‖a + n‖ allowed between analytic and numeric gradients. */
    static final double TOLERANCE = 1e-6;

    /** Absolute error allowed against values worked out by hand to six decimals. */
    static final double HAND_TOLERANCE = 1e-6;

    /**
     * Below this norm both gradients count as zero. Only the key bias has such a gradient: adding
     * the same amount to every score of a row leaves the softmax unchanged, so ∂L/∂b_k = 0 exactly
     * and its finite difference is rounding noise, for which a relative error means nothing.
     */
    static final double VANISHING = 1e-8;

    private Fixtures() {
    }

    /** Normal(0, std) values from a private generator, so tests do not depend on each other. */
    static INDArray random(long seed, double std, DataType type, long... shape) {
        Random random = new Random(seed);
        int n = 1;
        for (long size : shape) {
            n *= (int) size;
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = std * random.nextGaussian();
        }
        return Nd4j.create(values, shape, type);
    }

    static INDArray random(long seed, long... shape) {
        return random(seed, 1.0, DataType.DOUBLE, shape);
    }

    /**
     * Replaces every parameter by non-trivial values (LayerNorm weights around one, everything
     * else around zero with the given std), so that no gradient is trivially small.
     */
    static void randomize(List<Parameter> parameters, long seed, double std) {
        long s = seed;
        for (Parameter p : parameters) {
            INDArray noise = random(s++, std, p.value().dataType(), p.shape());
            boolean normWeight = p.name().matches(".*ln\\d?\\.weight|final_ln\\.weight");
            p.value().assign(normWeight ? noise.addi(1.0) : noise);
        }
    }

    /** Σ out ⊙ weights: a scalar loss whose gradient with respect to out is weights. */
    static double weightedSum(INDArray out, INDArray weights) {
        return out.mul(weights).sumNumber().doubleValue();
    }

    /** Asserts that analytic matches the central-difference gradient of loss over values. */
    static double assertGradient(String what, INDArray analytic, INDArray values,
            DoubleSupplier loss) {
        INDArray numeric = GradientCheck.numericGradient(values, loss, GradientCheck.STEP);
        return assertAgree(what, new GradientCheck.Comparison(analytic.dup(), numeric));
    }

    /** Asserts relative error below TOLERANCE, or both gradients below VANISHING. */
    static double assertAgree(String what, GradientCheck.Comparison comparison) {
        double error = comparison.relativeError();
        if (comparison.magnitude() < VANISHING) {
            assertTrue(comparison.absoluteError() < VANISHING, what + ": vanishing gradients differ"
                    + " by " + comparison.absoluteError());
            return 0;
        }
        assertTrue(error < TOLERANCE, what + ": relative error " + error + " ≥ " + TOLERANCE
                + "\nanalytic " + comparison.analytic() + "\nnumeric " + comparison.numeric());
        return error;
    }
}
