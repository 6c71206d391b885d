package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.text.Corpus;
import dev.gradlens.text.Corpus.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Two independent models and trainers with the same seed, fed the same batches, give
 * bit-identical loss curves, gradient norms and final weights.
 */
class TrainingDeterminismTest {

    private static final int STEPS = 20;
    private static final int VOCAB = 20;

    /** A fixed, irregular id sequence, so the test does not depend on a data file. */
    private static List<Batch> batches() {
        int[] ids = IntStream.range(0, 5000).map(i -> (i * 7 + i / 3 + i % 11) % VOCAB).toArray();
        return new Corpus(ids).sampler(Split.TRAIN, 4, 16, 3).next(STEPS);
    }

    private static List<Long> trainAndRecord(List<Batch> batches, List<Long> finalWeights) {
        Transformer model = new Transformer(TransformerConfig.of(VOCAB, 32, 2, 2, 16));
        Trainer trainer = new Trainer(model,
                OptimizerConfig.adamW(3e-3).withGradClip(1).withWarmupCosine(5, STEPS, 3e-4));
        List<Long> curve = new ArrayList<>();
        for (Batch batch : batches) {
            StepResult result = trainer.step(List.of(batch), true);
            curve.add(Double.doubleToRawLongBits(result.loss()));
            curve.add(Double.doubleToRawLongBits(result.gradNorm()));
        }
        for (Parameter p : model.parameters()) {
            for (double v : p.value().reshape(p.length()).toDoubleVector()) {
                finalWeights.add(Double.doubleToRawLongBits(v));
            }
        }
        return curve;
    }

    @Test
    void sameSeedAndBatchesGiveBitIdenticalLossCurves() {
        List<Batch> batches = batches();
        List<Long> weightsA = new ArrayList<>();
        List<Long> weightsB = new ArrayList<>();

        List<Long> curveA = trainAndRecord(batches, weightsA);
        List<Long> curveB = trainAndRecord(batches, weightsB);

        assertThat(curveA).hasSize(2 * STEPS).isEqualTo(curveB);
        assertThat(weightsA).isNotEmpty().isEqualTo(weightsB);
    }
}
