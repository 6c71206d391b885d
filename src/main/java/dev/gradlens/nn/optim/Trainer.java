package dev.gradlens.nn.optim;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.TrainableModel;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Runs training steps on a model: zero gradients, forward and backward over the micro-batches
 * (weighted by their token counts), global-norm clipping, learning-rate schedule and the optimizer
 * update. A step whose loss or gradients are not finite changes no weight and no optimizer state.
 */
public final class Trainer {

    public Trainer(TrainableModel model, OptimizerConfig config) {
        throw new UnsupportedOperationException("not built yet");
    }

    /**
     * One step over one or more micro-batches.
     *
     * @param update false to compute loss and gradients only (no weight or state change)
     */
    public StepResult step(List<Batch> microBatches, boolean update) {
        throw new UnsupportedOperationException();
    }

    /** Steps applied so far. */
    public long stepCount() {
        throw new UnsupportedOperationException();
    }

    /** Learning rate the schedule gives for the (1-based) step. */
    public double learningRateAt(long step) {
        throw new UnsupportedOperationException();
    }

    /** Optimizer state tensors by name (for checkpoints), e.g. "adam.m.lm_head.weight". */
    public Map<String, INDArray> state() {
        throw new UnsupportedOperationException();
    }

    /** Restores what {@link #state()} returned, and the step counter. */
    public void restore(Map<String, INDArray> state, long stepCount) {
        throw new UnsupportedOperationException();
    }
}
