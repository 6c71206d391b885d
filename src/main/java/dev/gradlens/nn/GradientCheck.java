package dev.gradlens.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Compares analytic gradients with central finite differences,
 * ∂L/∂w_i ≈ (L(w + h·e_i) − L(w − h·e_i)) / 2h, element by element.
 *
 * <p>Meaningful only in float64: in float32 the rounding of L swamps the difference. Every element
 * costs two evaluations of the loss, so this is for small models.
 */
public final class GradientCheck {

    /** Step h of the central difference. */
    public static final double STEP = 1e-5;

    private GradientCheck() {
    }

    /**
     * Central-difference gradient of {@code loss} with respect to every element of {@code values},
     * which is perturbed in place and restored.
     *
     * @param values a C-ordered float64 array that {@code loss} reads
     * @return an array shaped like values
     * @throws IllegalArgumentException when values is not float64
     */
    public static INDArray numericGradient(INDArray values, DoubleSupplier loss, double step) {
        if (values.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("finite differences need DOUBLE values, got "
                    + values.dataType());
        }
        INDArray gradient = values.ulike();
        for (long i = 0; i < values.length(); i++) {
            double original = values.getDouble(i);
            values.putScalar(i, original + step);
            double plus = loss.getAsDouble();
            values.putScalar(i, original - step);
            double minus = loss.getAsDouble();
            values.putScalar(i, original);
            gradient.putScalar(i, (plus - minus) / (2 * step));
        }
        return gradient;
    }

    /** ‖a − n‖ / ‖a + n‖, and 0 when both are exactly zero. */
    public static double relativeError(INDArray analytic, INDArray numeric) {
        double difference = analytic.sub(numeric).norm2Number().doubleValue();
        double scale = analytic.add(numeric).norm2Number().doubleValue();
        return scale == 0 ? difference : difference / scale;
    }

    /**
     * Checks every element of every parameter of a float64 model on one batch.
     *
     * @return per parameter name, in parameter order, the analytic gradient and the numeric one
     */
    public static Map<String, Comparison> check(TrainableModel model, Batch batch, double step) {
        model.zeroGrad();
        model.forwardLoss(batch);
        model.backward(1.0);
        Map<String, Comparison> result = new LinkedHashMap<>();
        for (Parameter parameter : model.parameters()) {
            INDArray numeric = numericGradient(parameter.value(),
                    () -> model.forwardLoss(batch), step);
            result.put(parameter.name(), new Comparison(parameter.grad().dup(), numeric));
        }
        return result;
    }

    /**
     * An analytic gradient beside its finite-difference estimate.
     *
     * @param analytic from backward
     * @param numeric from central differences
     */
    public record Comparison(INDArray analytic, INDArray numeric) {

        /** ‖a − n‖ / ‖a + n‖. */
        public double relativeError() {
            return GradientCheck.relativeError(analytic, numeric);
        }

        /** ‖a − n‖. */
        public double absoluteError() {
            return analytic.sub(numeric).norm2Number().doubleValue();
        }

        /** max(‖a‖, ‖n‖). */
        public double magnitude() {
            return Math.max(analytic.norm2Number().doubleValue(),
                    numeric.norm2Number().doubleValue());
        }
    }
}
