package dev.gradlens.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A named trainable tensor and the gradient accumulated into it by {@code backward}.
 *
 * <p>The name is part of the public contract: the REST API serves parameters and gradients by it.
 * {@code value} and {@code grad} always have the same shape and data type; an optimizer updates
 * {@code value} in place.
 */
public final class Parameter {

    private final String name;
    private final INDArray value;
    private final INDArray grad;

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
}
