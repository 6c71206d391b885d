package dev.gradlens.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A named trainable tensor and the gradient accumulated into it by {@code backward}.
 *
 * <p>The name is part of the public contract: the REST API serves parameters and gradients by it.
 * {@code value} and {@code grad} always have the same shape and data type; an optimizer updates
 * {@code value} in place.
 *
 * <p>Once packed into a {@link ParameterBuffer}, {@code value} and {@code grad} are views of that
 * buffer's flat arrays. Packing replaces both arrays, so read them through this object rather than
 * keeping them across packing.
 */
public final class Parameter {

    private final String name;
    private INDArray value;
    private INDArray grad;
    private ParameterBuffer buffer; // null until packed

    public Parameter(String name, INDArray value) {
        this.name = name;
        this.value = value;
        this.grad = value.ulike();
        this.grad.assign(0);
    }

    public String name() {
        return name;
    }

    /** The weights, updated in place by optimizers. */
    public INDArray value() {
        return value;
    }

    /** The gradient of the loss with respect to {@link #value()}, accumulated by backward passes. */
    public INDArray grad() {
        return grad;
    }

    public long[] shape() {
        return value.shape();
    }

    public long length() {
        return value.length();
    }

    public void zeroGrad() {
        grad.assign(0);
    }

    /** The buffer this parameter is packed into, or null. */
    ParameterBuffer buffer() {
        return buffer;
    }

    /** Makes views of {@code buffer}, already holding this parameter's data, its value and grad. */
    void rebind(ParameterBuffer buffer, INDArray value, INDArray grad) {
        if (!Arrays.equals(value.shape(), this.value.shape())
                || !Arrays.equals(grad.shape(), this.value.shape())) {
            throw new IllegalArgumentException(name + ": views must keep the shape "
                    + Arrays.toString(this.value.shape()));
        }
        this.buffer = buffer;
        this.value = value;
        this.grad = grad;
    }
}
