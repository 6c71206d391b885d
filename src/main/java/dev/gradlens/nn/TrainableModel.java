package dev.gradlens.nn;

import java.util.List;

/**
 * What a {@link dev.gradlens.nn.optim.Trainer} needs of a model: its parameters in a fixed order, a
 * forward pass that returns the loss and keeps what backward needs, and the backward pass.
 */
public interface TrainableModel {

    /** Every trainable parameter, in the public order. */
    List<Parameter> parameters();

    /**
     * Runs the forward pass on a batch and returns the mean cross-entropy over its counted targets.
     * Keeps the activations the next {@link #backward(double)} needs.
     */
    double forwardLoss(Batch batch);

    /**
     * Back-propagates the loss of the latest forward, scaled by {@code lossScale}, and ADDS the
     * result into every parameter's gradient (so micro-batches accumulate). A scale of 1 gives the
     * gradient of the mean loss of that batch.
     */
    void backward(double lossScale);

    /**
     * Sets every gradient to zero: one operation on the flat gradients when the parameters are
     * packed into a {@link ParameterBuffer}, else one per parameter.
     */
    default void zeroGrad() {
        ParameterBuffer packed = ParameterBuffer.packedOrNull(parameters());
        if (packed != null) {
            packed.zeroGrads();
        } else {
            parameters().forEach(Parameter::zeroGrad);
        }
    }
}
