package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.nn.Batch;
import dev.gradlens.text.BatchSampler;
import dev.gradlens.text.CharTokenizer;
import dev.gradlens.text.Corpus;
import dev.gradlens.text.Corpus.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The training pipeline (char tokenizer, corpus sampler, Trainer, AdamW) on real text, with a
 * bigram model whose gradient is known in closed form, so it runs without the Transformer.
 * The bigram entropy of tinyshakespeare is about 2.45 nats, so below 2.6 means it learned most
 * of the bigram statistics.
 */
class BigramTrainingTest {

    static final Path SHAKESPEARE = Path.of("../shared/data/tinyshakespeare.txt");

    static Corpus shakespeare() throws IOException {
        Assumptions.assumeTrue(Files.exists(SHAKESPEARE),
                "skipped: " + SHAKESPEARE.toAbsolutePath() + " is absent");
        String text = Files.readString(SHAKESPEARE, StandardCharsets.UTF_8);
        return Corpus.of(text, CharTokenizer.fromCorpus(text));
    }

    @Test
    void validationLossFallsFromUniformToNearTheBigramEntropy() throws IOException {
        Corpus corpus = shakespeare();
        BigramModel model = new BigramModel(65);
        Trainer trainer = new Trainer(model, OptimizerConfig.adamW(0.1).withGradClip(1));
        List<Batch> validation = corpus.sampler(Split.VALIDATION, 16, 64, 1).next(8);
        BatchSampler train = corpus.sampler(Split.TRAIN, 16, 64, 2);

        double start = trainer.evaluate(validation);
        for (int step = 0; step < 200; step++) {
            assertThat(trainer.step(List.of(train.next()), true).applied()).isTrue();
        }
        double end = trainer.evaluate(validation);
        System.out.printf("bigram validation loss %.4f -> %.4f%n", start, end);

        assertThat(start).isCloseTo(Math.log(65), within(1e-4));
        assertThat(end).isLessThan(2.6);
    }
}
