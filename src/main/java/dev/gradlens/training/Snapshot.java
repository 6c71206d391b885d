package dev.gradlens.training;

import dev.gradlens.model.LiveModel;
import dev.gradlens.nn.Parameter;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Copies of what a step changes, taken under the model's lock before the step: every gradient
 * and, when the step may update, every weight and the optimizer's state and step counter.
 * {@link #restore()} puts them back when the step cannot be stored, so a refused step leaves the
 * model exactly as it was.
 */
final class Snapshot {

    private final List<Parameter> parameters;
    private final List<INDArray> grads;
    private final List<INDArray> values;
    private final Map<String, INDArray> optimizerState;
    private final long optimizerSteps;
    private final LiveModel live;

    private Snapshot(LiveModel live, boolean withWeights) {
        this.live = live;
        this.parameters = live.transformer().parameters();
        this.grads = parameters.stream().map(p -> p.grad().dup()).toList();
        this.values = withWeights ? parameters.stream().map(p -> p.value().dup()).toList() : null;
        // Trainer.state() returns copies and restore() copies back in
        this.optimizerState = withWeights ? live.trainer().state() : null;
        this.optimizerSteps = live.trainer().stepCount();
    }

    static Snapshot take(LiveModel live, boolean withWeights) {
        return new Snapshot(live, withWeights);
    }

    void restore() {
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).grad().assign(grads.get(i));
        }
        if (values == null) {
            return;
        }
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).value().assign(values.get(i));
        }
        live.trainer().restore(optimizerState, optimizerSteps);
    }
}
