package dev.gradlens.bench;

import dev.gradlens.nn.Transformer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shows that the three implementations train the same model: from the same weights on the same
 * batches, the loss on the next batch after each of the first steps agrees (it depends on every
 * update so far).
 */
final class AgreementCheck {

    private AgreementCheck() {
    }

    /** Losses of steps 1..steps per implementation, and the largest relative difference. */
    static Map<String, Object> run(BenchConfig config, int steps) {
        Transformer model = Implementation.model(config);
        List<Implementation> all = List.of(
                Implementation.sameDiff(model, config, SameDiffModel.Mode.FIT),
                Implementation.sameDiff(model, config, SameDiffModel.Mode.GRADIENTS),
                Implementation.engine(model)); // last: it changes model's weights
        Workload workload = new Workload(config, 7);
        Map<String, Object> result = new LinkedHashMap<>();
        List<double[]> losses = new ArrayList<>();
        for (Implementation impl : all) {
            double[] curve = new double[steps];
            for (int s = 0; s < steps; s++) {
                impl.step(workload.get(s));
                curve[s] = impl.loss(workload.get(s + 1));
            }
            losses.add(curve);
            result.put(impl.name(), curve);
        }
        double worst = 0;
        double[] engine = losses.get(losses.size() - 1);
        for (double[] curve : losses) {
            for (int s = 0; s < steps; s++) {
                worst = Math.max(worst, Math.abs(curve[s] - engine[s]) / Math.abs(engine[s]));
            }
        }
        result.put("maxRelativeLossDifference", worst);
        return result;
    }
}
