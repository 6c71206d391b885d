package dev.gradlens.bench;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.nn.optim.Trainer;
import java.util.List;

/** One way to run a training step (forward, backward, AdamW update) of a benchmark model. */
interface Implementation {

    /** The optimizer every implementation uses: AdamW, lr 1e-3, betas (0.9, 0.999), λ 0.01. */
    OptimizerConfig OPTIMIZER = OptimizerConfig.adamW(1e-3);

    String name();

    /** Trains on batch; returns the loss before the update, or NaN when not available. */
    double step(Batch batch);

    /** The loss on batch with the current weights, forward only. */
    double loss(Batch batch);

    static Transformer model(BenchConfig config) {
        return new Transformer(config.model());
    }

    /** The hand-written engine through its {@link Trainer}, exactly as the service calls it. */
    static Implementation engine(Transformer model) {
        Trainer trainer = new Trainer(model, OPTIMIZER);
        return new Implementation() {
            @Override
            public String name() {
                return "engine";
            }

            @Override
            public double step(Batch batch) {
                return trainer.step(List.of(batch), true).loss();
            }

            @Override
            public double loss(Batch batch) {
                return trainer.evaluate(List.of(batch));
            }
        };
    }

    /** The SameDiff graph of model, from a copy of its current weights. */
    static Implementation sameDiff(Transformer model, BenchConfig config,
            SameDiffModel.Mode mode) {
        SameDiffModel graph = new SameDiffModel(model, config.batch(), config.length(), OPTIMIZER,
                mode);
        String name = mode == SameDiffModel.Mode.FIT ? "samediff-fit" : "samediff-grad";
        return new Implementation() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double step(Batch batch) {
                return graph.step(batch);
            }

            @Override
            public double loss(Batch batch) {
                return graph.loss(batch);
            }
        };
    }
}
