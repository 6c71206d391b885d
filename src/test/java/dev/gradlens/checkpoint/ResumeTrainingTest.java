package dev.gradlens.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.TrainableModel;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.nn.optim.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Saving a model and its trainer mid-run, loading them into fresh objects and training on gives
 * bit-identical losses to the run that never stopped. Uses {@link TableModel}, so it runs without
 * the Transformer; {@code TransformerCheckpointTest} does the same with the real model.
 */
class ResumeTrainingTest {

    private static final int VOCAB = 4;
    private static final OptimizerConfig OPTIMIZER =
            OptimizerConfig.adamW(0.05).withGradClip(0.5).withWarmupCosine(3, 12, 0.005);

    @TempDir
    Path root;

    static List<Batch> batches(int count, int vocab, int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Batch> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<int[]> sequences = List.of(random.ints(length + 1, 0, vocab).toArray(),
                    random.ints(length + 1, 0, vocab).toArray());
            batches.add(Batch.nextTokenOf(sequences));
        }
        return batches;
    }

    /** Bits of each step's loss and gradient norm. */
    static List<Long> train(Trainer trainer, List<Batch> batches) {
        List<Long> curve = new ArrayList<>();
        for (Batch batch : batches) {
            var result = trainer.step(List.of(batch), true);
            curve.add(Double.doubleToRawLongBits(result.loss()));
            curve.add(Double.doubleToRawLongBits(result.gradNorm()));
        }
        return curve;
    }

    private static Checkpoint capture(TrainableModel model, Trainer trainer) {
        TransformerConfig config = TransformerConfig.of(VOCAB, 8, 2, 1, 8);
        return new Checkpoint(config, trainer.config(), new TokenizerSpec("char", "abcd"),
                trainer.stepCount(), Checkpoint.copyWeights(model), trainer.state());
    }

    @Test
    void resumedRunContinuesWithBitIdenticalLossesAndWeights() throws IOException {
        List<Batch> batches = batches(10, VOCAB, 6, 1);
        TableModel original = new TableModel(VOCAB, 7);
        Trainer originalTrainer = new Trainer(original, OPTIMIZER);
        train(originalTrainer, batches.subList(0, 4));
        CheckpointStore store = new CheckpointStore(root);
        store.save("m", capture(original, originalTrainer));

        Checkpoint loaded = store.loadLatest("m").latest().orElseThrow().checkpoint();
        TableModel resumed = new TableModel(VOCAB, 99);
        Trainer resumedTrainer = new Trainer(resumed, loaded.optimizerConfig());
        loaded.restoreInto(resumed, resumedTrainer);

        Batch fixed = batches(1, VOCAB, 6, 2).get(0);
        assertThat(resumed.forwardLoss(fixed)).isEqualTo(original.forwardLoss(fixed));
        assertThat(resumedTrainer.stepCount()).isEqualTo(4);
        List<Long> expected = train(originalTrainer, batches.subList(4, 10));
        assertThat(train(resumedTrainer, batches.subList(4, 10))).isEqualTo(expected);
        for (int i = 0; i < 2; i++) {
            SafetensorsRoundTripTest.assertBitIdentical(resumed.parameters().get(i).value(),
                    original.parameters().get(i).value());
        }
    }

    @Test
    void restoreIntoAMismatchedModelChangesNothing() {
        TableModel saved = new TableModel(VOCAB, 7);
        Checkpoint checkpoint = capture(saved, new Trainer(saved, OPTIMIZER));
        TableModel wider = new TableModel(VOCAB + 1, 3);
        Trainer widerTrainer = new Trainer(wider, OPTIMIZER);
        INDArray before = wider.parameters().get(0).value().dup();

        assertThatThrownBy(() -> checkpoint.restoreInto(wider, widerTrainer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("table.weight: expected shape [5, 5]")
                .hasMessageContaining("[4, 4]");

        assertThat(wider.parameters().get(0).value()).isEqualTo(before);
        assertThat(widerTrainer.stepCount()).isZero();
    }

    @Test
    void restoreRefusesMissingWeightsAndAnotherOptimizer() {
        TableModel model = new TableModel(VOCAB, 7);
        Checkpoint adam = capture(model, new Trainer(model, OPTIMIZER));
        Parameter table = model.parameters().get(0);
        Checkpoint tableOnly = new Checkpoint(adam.config(), adam.optimizerConfig(),
                adam.tokenizer(), 0, Map.of("table.weight", table.value()), Map.of());

        assertThatThrownBy(() -> tableOnly.restoreInto(model, new Trainer(model, OPTIMIZER)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 parameters but the checkpoint has 1");
        Trainer sgd = new Trainer(model, OptimizerConfig.sgd(0.1, 0.9));
        assertThatThrownBy(() -> adam.restoreInto(model, sgd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sgd.velocity.table.weight");
    }

    @Test
    void checkpointRejectsInconsistentContents() {
        TransformerConfig config = TransformerConfig.of(VOCAB, 8, 2, 1, 8);
        Map<String, INDArray> weights = Map.of("w", Nd4j.zeros(2));

        assertThatThrownBy(() -> new Checkpoint(config, OPTIMIZER,
                new TokenizerSpec("byte", null), 0, weights, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer has 256 ids but the model's vocabSize is 4");
        assertThatThrownBy(() -> new Checkpoint(config, OPTIMIZER,
                new TokenizerSpec("char", "abcd"), -1, weights, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
        assertThatThrownBy(() -> new Checkpoint(config, OPTIMIZER,
                new TokenizerSpec("char", "abcd"), 0, weights, weights))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("w is both a weight and optimizer state");
    }
}
