package dev.gradlens.nn;

import dev.gradlens.nn.TransformerConfig.Activation;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Position-wise feed-forward net: fc2(act(fc1(x))), with act GELU or ReLU. */
final class FeedForward {

    /** √(2/π) and the cubic coefficient of the GELU tanh approximation. */
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    private static final double GELU_CUBIC = 0.044715;

    /** 2u = x·(A + B·x²) with u the argument of the tanh: A = 2√(2/π), B = A·0.044715. */
    private static final double TWO_U_LINEAR = 2 * SQRT_2_OVER_PI;
    private static final double TWO_U_CUBIC = TWO_U_LINEAR * GELU_CUBIC;

    private final Activation activation;
    private final Linear fc1;
    private final Linear fc2;

    private INDArray hidden; // [B, T, F] fc1 output before the activation
    private INDArray gate; // [B, T, F] σ(2u) of GELU, kept for its derivative
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
        gate = Tensors.reuse(gate, hidden.dataType(), hidden.shape());
        activated = Tensors.reuse(activated, hidden.dataType(), hidden.shape());
        dHidden = Tensors.reuse(dHidden, hidden.dataType(), hidden.shape());

        // 2. non-linearity
        if (activation == Activation.GELU) {
            gelu(hidden, gate, activated);
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
            geluDerivative(hidden, gate, activated, dHidden); // activated: free once fc2 is done
        } else {
            reluDerivative(hidden, dHidden);
        }
        dHidden.muli(dActivated);

        // 3. through fc1
        return fc1.backward(dHidden);
    }

    /**
     * GELU, tanh approximation (Hendrycks and Gimpel 2016):
     * gelu(x) = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³), computed in the equal form
     * x·σ(2u), since ½(1 + tanh u) = σ(2u): six passes over x instead of ten, and no
     * cancellation in 1 + tanh u for large negative x.
     *
     * @param gate receives σ(2u), which {@link #geluDerivative} needs
     * @param out receives gelu(x)
     * @return out
     */
    static INDArray gelu(INDArray x, INDArray gate, INDArray out) {

        // 1. 2u = x·(A + B·x²), then σ(2u)
        x.mul(x, gate).muli(TWO_U_CUBIC).addi(TWO_U_LINEAR).muli(x);
        Transforms.sigmoid(gate, false);

        // 2. x·σ(2u)
        return gate.mul(x, out);
    }

    /**
     * gelu'(x) = σ(2u) + x·σ(2u)(1 − σ(2u))·d(2u)/dx, with d(2u)/dx = A + 3B·x²: the product rule
     * on x·σ(2u), and σ' = σ(1 − σ).
     *
     * @param gate σ(2u) from {@link #gelu}
     * @param scratch a buffer shaped like x whose contents are overwritten
     * @param out receives gelu'(x); must not be x, gate or scratch
     * @return out
     */
    static INDArray geluDerivative(INDArray x, INDArray gate, INDArray scratch, INDArray out) {

        // 1. the sigmoid's slope: σ(1 − σ)
        gate.rsub(1.0, scratch).muli(gate);

        // 2. x · d(2u)/dx = x·(A + 3B·x²)
        x.mul(x, out).muli(3 * TWO_U_CUBIC).addi(TWO_U_LINEAR).muli(x);

        // 3. times the slope, plus σ(2u)
        return out.muli(scratch).addi(gate);
    }

    /** gelu(x) into a new array. */
    static INDArray gelu(INDArray x) {
        return gelu(x, x.ulike(), x.ulike());
    }

    /** gelu'(x) into a new array. */
    static INDArray geluDerivative(INDArray x) {
        INDArray gate = x.ulike();
        gelu(x, gate, x.ulike());
        return geluDerivative(x, gate, x.ulike(), x.ulike());
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
