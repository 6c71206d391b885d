package dev.gradlens.inspect;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tensor copied out of the engine (under the model's lock) in C order, so that statistics and
 * serialization run without holding the lock.
 *
 * @param dataType {@code "float32"} or {@code "float64"}, the engine's type
 * @param values the elements in C (row-major) order, widened to double
 */
record TensorCopy(String name, long[] shape, String dataType, double[] values) {

    static TensorCopy of(String name, INDArray tensor) {
        String type = tensor.dataType() == DataType.DOUBLE ? "float64" : "float32";
        double[] values = tensor.length() == 0 ? new double[0]
                : Nd4j.toFlattened('c', tensor).castTo(DataType.DOUBLE).toDoubleVector();
        return new TensorCopy(name, tensor.shape().clone(), type, values);
    }

    /** The .npy file of this tensor, in its own data type. */
    byte[] toNpy() {
        if ("float64".equals(dataType)) {
            return NpyWriter.float64(shape, values);
        }
        float[] narrow = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            narrow[i] = (float) values[i];
        }
        return NpyWriter.float32(shape, narrow);
    }

    long nonFiniteCount() {
        long n = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                n++;
            }
        }
        return n;
    }
}
