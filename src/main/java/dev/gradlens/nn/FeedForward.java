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
    private INDArray tanh; // [B, T, F] tanh(u) of GELU, kept for its derivative
    private INDArray activated; // [B, T, F] buffer, reused while the shape holds
    private INDArray dHidden; // [B, T, F] buffer

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
     * @return [B, T, C]; a buffer of fc2, overwritten on the next forward
     */
    INDArray forward(INDArray x) {

        // 1. expand: [B, T, C] → [B, T, F]
        hidden = fc1.forward(x);
        tanh = Tensors.reuse(tanh, hidden.dataType(), hidden.shape());
        activated = Tensors.reuse(activated, hidden.dataType(), hidden.shape());
        dHidden = Tensors.reuse(dHidden, hidden.dataType(), hidden.shape());

        // 2. non-linearity
        if (activation == Activation.GELU) {
            gelu(hidden, tanh, activated);
        } else {
            Transforms.relu(activated.assign(hidden), false);
        }

        // 3. contract: [B, T, F] → [B, T, C]
        return fc2.forward(activated);
    }

    /**
     * @param dOut [B, T, C]
     * @return dX [B, T, C]; a buffer of fc1, overwritten on the next backward
     */
    INDArray backward(INDArray dOut) {

        // 1. through fc2: [B, T, F]
        INDArray dActivated = fc2.backward(dOut);

        // 2. through the non-linearity, elementwise: dh = act'(h) ⊙ da
        if (activation == Activation.GELU) {
            geluDerivative(hidden, tanh, activated, dHidden); // activated: free once fc2 is done
        } else {
            reluDerivative(hidden, dHidden);
        }
        dHidden.muli(dActivated);

        // 3. through fc1
        return fc1.backward(dHidden);
    }

    /**
     * GELU, tanh approximation (Hendrycks and Gimpel 2016):
     * gelu(x) = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³).
     *
     * @param tanh receives tanh(u), which {@link #geluDerivative} needs
     * @param out receives gelu(x)
     * @return out
     */
    static INDArray gelu(INDArray x, INDArray tanh, INDArray out) {

        // 1. u = √(2/π)(x + 0.044715x³), then tanh(u)
        x.mul(x, tanh).muli(x).muli(GELU_CUBIC).addi(x).muli(SQRT_2_OVER_PI);
        Transforms.tanh(tanh, false);

        // 2. ½x(1 + tanh u)
        return out.assign(tanh).addi(1.0).muli(x).muli(0.5);
    }

    /**
     * gelu'(x) = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²).
     *
     * @param tanh tanh(u) from {@link #gelu}
     * @param scratch a buffer shaped like x whose contents are overwritten
     * @param out receives gelu'(x); must not be x, tanh or scratch
     * @return out
     */
    static INDArray geluDerivative(INDArray x, INDArray tanh, INDArray scratch, INDArray out) {

        // 1. the derivative of tanh: 1 − tanh²u
        tanh.mul(tanh, scratch).rsubi(1.0);

        // 2. x · du/dx = x · √(2/π)(1 + 3·0.044715x²)
        x.mul(x, out).muli(3 * GELU_CUBIC).addi(1.0).muli(SQRT_2_OVER_PI).muli(x);

        // 3. times 1 − tanh², then add 1 + tanh and halve
        out.muli(scratch).addi(tanh).addi(1.0).muli(0.5);
        return out;
    }

    /** gelu(x) into a new array. */
    static INDArray gelu(INDArray x) {
        return gelu(x, x.ulike(), x.ulike());
    }

    /** gelu'(x) into a new array. */
    static INDArray geluDerivative(INDArray x) {
        INDArray tanh = x.ulike();
        gelu(x, tanh, x.ulike());
        return geluDerivative(x, tanh, x.ulike(), x.ulike());
    }

    static INDArray relu(INDArray x) {
        return Transforms.relu(x, true);
    }

    /** relu'(x) into a new array. */
    static INDArray reluDerivative(INDArray x) {
        return reluDerivative(x, x.ulike());
    }

    /** relu'(x) = 1 for x > 0, else 0 (0 at x = 0 too), into out. */
    static INDArray reluDerivative(INDArray x, INDArray out) {
        return out.assign(x.gt(0.0));
    }
}
