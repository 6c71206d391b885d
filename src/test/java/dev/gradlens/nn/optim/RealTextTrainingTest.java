package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.text.BatchSampler;
import dev.gradlens.text.Corpus;
import dev.gradlens.text.Corpus.Split;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A character-level Transformer (2 layers, dModel 64, 4 heads, context 64) trained with AdamW on
 * tinyshakespeare, 16 windows of 64 characters per step. At initialisation the logits are nearly
 * zero, so the validation loss is about ln 65 ≈ 4.174; after a few hundred steps it must be
 * clearly below 2.5, which a model only reaches by learning more than unigram statistics (the
 * unigram entropy of the text is about 3.3 nats).
 */
class RealTextTrainingTest {

    private static final int STEPS = 400;
    private static final int BATCH = 16;
    private static final int SEQ_LEN = 64;

    @Test
    void validationLossFallsFromLnVocabularyToBelowTwoAndAHalf() throws IOException {
        Corpus corpus = BigramTrainingTest.shakespeare();
        Transformer model = new Transformer(TransformerConfig.of(65, 64, 4, 2, SEQ_LEN));
        OptimizerConfig config = OptimizerConfig.adamW(3e-3).withGradClip(1)
                .withWarmupCosine(20, STEPS, 3e-4);
        Trainer trainer = new Trainer(model, config);
        List<Batch> validation = corpus.sampler(Split.VALIDATION, BATCH, SEQ_LEN, 1).next(4);
        BatchSampler train = corpus.sampler(Split.TRAIN, BATCH, SEQ_LEN, 2);

        double start = trainer.evaluate(validation);
        for (int step = 0; step < STEPS; step++) {
            StepResult result = trainer.step(List.of(train.next()), true);
            assertThat(result.applied()).as("step %d applied", step + 1).isTrue();
        }
        double end = trainer.evaluate(validation);
        System.out.printf("transformer validation loss %.4f -> %.4f%n", start, end);

        assertThat(start).isCloseTo(Math.log(65), within(0.1));
        assertThat(end).isLessThan(2.5);
    }
}
