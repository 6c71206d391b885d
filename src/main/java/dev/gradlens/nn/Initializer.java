package dev.gradlens.nn;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Creates the initial values of parameters from one seeded generator of its own.
 *
 * <p>Nd4j's random generator is shared per thread, so two models built at once could interleave
 * draws. A private {@link java.util.Random} drawn in parameter order makes the weights depend on
 * the seed alone: the same seed gives bit-identical weights on any thread, in either data type
 * (values are drawn in double precision and then rounded to the model's type).
 */
final class Initializer {

    /** Standard deviation of weights and embeddings (GPT-2). */
    static final double STD = 0.02;

    private final Random random;
    private final DataType type;

    Initializer(long seed, DataType type) {
        this.random = new Random(seed);
        this.type = type;
    }

    DataType type() {
        return type;
    }

    /** Normal(0, STD) values of the given shape. */
    INDArray normal(long... shape) {
        return normal(STD, shape);
    }

    /** Normal(0, std) values of the given shape. */
    INDArray normal(double std, long... shape) {
        int n = Math.toIntExact(lengthOf(shape));
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = std * random.nextGaussian();
        }
        return Nd4j.create(values, shape, type);
    }

    INDArray zeros(long... shape) {
        return Nd4j.zeros(type, shape);
    }

    INDArray ones(long... shape) {
        return Nd4j.ones(type, shape);
    }

    private static long lengthOf(long[] shape) {
        long n = 1;
        for (long size : shape) {
            n *= size;
        }
        return n;
    }
}
