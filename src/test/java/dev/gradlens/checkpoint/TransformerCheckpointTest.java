package dev.gradlens.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.optim.OptimizerConfig;
import dev.gradlens.nn.optim.Trainer;
import dev.gradlens.text.CharTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The whole path with the real Transformer: train, capture, save, load, restore into a fresh
 * model and trainer, and train on. Skipped while the Transformer is a stub.
 */
class TransformerCheckpointTest {

    private static final String ALPHABET = "\n abcdefghij";
    private static final int VOCAB = ALPHABET.length();

    @TempDir
    Path root;

    @BeforeAll
    static void requireTransformer() {
        assumeTransformerBuilt();
    }

    /** Skips the calling test while {@link Transformer} is still the stub. */
    static void assumeTransformerBuilt() {
        try {
            new Transformer(TransformerConfig.of(4, 8, 2, 1, 4));
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "the Transformer is still a stub on this branch");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void restoredTransformerContinuesTrainingBitIdentically(DataType type) throws IOException {
        TransformerConfig config = TransformerConfig.of(VOCAB, 16, 2, 2, 12).withDataType(type);
        Transformer model = new Transformer(config);
        Trainer trainer = new Trainer(model,
                OptimizerConfig.adamW(3e-3).withGradClip(1).withWarmupCosine(2, 12, 3e-4));
        List<Batch> batches = ResumeTrainingTest.batches(10, VOCAB, 12, 5);
        ResumeTrainingTest.train(trainer, batches.subList(0, 4));
        CheckpointStore store = new CheckpointStore(root);

        store.save("shakespeare", Checkpoint.capture(model, trainer,
                CharTokenizer.fromAlphabet(ALPHABET)));
        Checkpoint.Restored restored = store.loadLatest("shakespeare").latest().orElseThrow()
                .checkpoint().restore();

        Batch fixed = ResumeTrainingTest.batches(1, VOCAB, 12, 6).get(0);
        double trainedLoss = model.forwardLoss(fixed);
        assertThat(new Transformer(config).forwardLoss(fixed)).isNotEqualTo(trainedLoss);
        assertThat(restored.model().forwardLoss(fixed)).isEqualTo(trainedLoss);
        assertThat(restored.trainer().stepCount()).isEqualTo(4);
        assertThat(restored.tokenizer().vocabSize()).isEqualTo(VOCAB);
        List<Long> expected = ResumeTrainingTest.train(trainer, batches.subList(4, 10));
        assertThat(ResumeTrainingTest.train(restored.trainer(), batches.subList(4, 10)))
                .isEqualTo(expected);
        List<Parameter> after = restored.model().parameters();
        for (int i = 0; i < after.size(); i++) {
            SafetensorsRoundTripTest.assertBitIdentical(after.get(i).value(),
                    model.parameters().get(i).value());
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT"})
    void fileNamesTheWeightsByTheirPublicNames(DataType type) throws IOException {
        Transformer model = new Transformer(TransformerConfig.of(VOCAB, 8, 2, 1, 6)
                .withDataType(type));
        Trainer trainer = new Trainer(model, OptimizerConfig.adam(1e-3));
        Path file = new CheckpointStore(root).save("m", Checkpoint.capture(model, trainer,
                CharTokenizer.fromAlphabet(ALPHABET)));

        SafetensorsFile raw = SafetensorsReader.read(file);

        List<String> names = model.parameters().stream().map(Parameter::name).toList();
        assertThat(raw.tensorInfos().keySet()).startsWith(names.toArray(String[]::new))
                .contains("token_embedding.weight", "blocks.0.attention.q.weight",
                        "adam.m.lm_head.weight", "adam.v.blocks.0.ffn.fc1.bias");
        assertThat(raw.tensorInfos().get("token_embedding.weight").shape())
                .containsExactly(VOCAB, 8);
    }
}
