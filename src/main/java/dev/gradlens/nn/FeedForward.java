package dev.gradlens.nn;

import dev.gradlens.nn.TransformerConfig.Activation;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Position-wise feed-forward net: fc2(act(fc1(x))), with act GELU or ReLU. */
final class FeedForward {

    /** √(2/π), of the GELU tanh approximation. */
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;

    private final Activation activation;
    private final Linear fc1;
    private final Linear fc2;

    private INDArray hidden; // [B, T, F] fc1 output before the activation

    FeedForward(String name, int width, int hiddenWidth, Activation activation,
            Initializer init) {
        this.activation = activation;
        this.fc1 = new Linear(name + ".fc1", width, hiddenWidth, init);
        this.fc2 = new Linear(name + ".fc2", hiddenWidth, width, init);
    }

    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(fc1.parameters());
        all.addAll(fc2.parameters());
        return all;
    }

    /**
     * @param x [B, T, C]
     * @return [B, T, C]
     */
    INDArray forward(INDArray x) {

        // 1. expand: [B, T, C] → [B, T, F]
        hidden = fc1.forward(x);

        // 2. non-linearity
        INDArray activated = activation == Activation.GELU ? gelu(hidden) : relu(hidden);

        // 3. contract: [B, T, F] → [B, T, C]
        return fc2.forward(activated);
    }

    /**
     * @param dOut [B, T, C]
     * @return dX [B, T, C]
     */
    INDArray backward(INDArray dOut) {

        // 1. through fc2: [B, T, F]
        INDArray dActivated = fc2.backward(dOut);

        // 2. through the non-linearity, elementwise
        INDArray slope = activation == Activation.GELU ? geluDerivative(hidden) : reluDerivative(
                hidden);
        INDArray dHidden = dActivated.mul(slope);

        // 3. through fc1
        return fc1.backward(dHidden);
    }

    /**
     * GELU, tanh approximation (Hendrycks and Gimpel 2016):
     * gelu(x) = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³).
     */
    static INDArray gelu(INDArray x) {
        INDArray tanh = Transforms.tanh(inner(x), false);
        return tanh.addi(1.0).muli(x).muli(0.5);
    }

    /** gelu'(x) = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²). */
    static INDArray geluDerivative(INDArray x) {
        INDArray tanh = Transforms.tanh(inner(x), false);
        INDArray du = x.mul(x).muli(3 * GELU_CUBIC).addi(1.0).muli(SQRT_2_OVER_PI);
        INDArray sech2 = tanh.mul(tanh).rsubi(1.0);
        return sech2.muli(du).muli(x).addi(tanh.addi(1.0)).muli(0.5);
    }

    static INDArray relu(INDArray x) {
        return Transforms.relu(x, true);
    }

    /** relu'(x) = 1 for x > 0, else 0 (0 at x = 0 too). */
    static INDArray reluDerivative(INDArray x) {
        return x.gt(0.0).castTo(x.dataType());
    }

    /** u = √(2/π)(x + 0.044715x³), a new array. */
    private static INDArray inner(INDArray x) {
        return x.mul(x).muli(x).muli(GELU_CUBIC).addi(x).muli(SQRT_2_OVER_PI);
    }
}
