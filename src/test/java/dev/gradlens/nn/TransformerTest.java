package dev.gradlens.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradlens.nn.TransformerConfig.NormPlacement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class TransformerTest {

    static final TransformerConfig CONFIG = TransformerConfig.of(11, 16, 2, 2, 6);

    static final Batch BATCH = new Batch(
            List.of(new int[] {1, 2, 3, 4, 5, 6}, new int[] {7, 8, 9}),
            List.of(new int[] {2, 3, 4, 5, 6, 7}, new int[] {8, Batch.IGNORE, 10}));

    @Test
    void parametersFollowThePublicNamesOrderAndShapes() {
        Transformer model = new Transformer(CONFIG);

        List<String> expected = new ArrayList<>(List.of("token_embedding.weight",
                "position_embedding.weight"));
        for (int i = 0; i < 2; i++) {
            String b = "blocks." + i + ".";
            expected.addAll(List.of(b + "ln1.weight", b + "ln1.bias"));
            for (String layer : List.of("q", "k", "v", "o")) {
                expected.add(b + "attention." + layer + ".weight");
                expected.add(b + "attention." + layer + ".bias");
            }
            expected.addAll(List.of(b + "ln2.weight", b + "ln2.bias", b + "ffn.fc1.weight",
                    b + "ffn.fc1.bias", b + "ffn.fc2.weight", b + "ffn.fc2.bias"));
        }
        expected.addAll(List.of("final_ln.weight", "final_ln.bias", "lm_head.weight",
                "lm_head.bias"));
        assertEquals(expected, model.parameters().stream().map(Parameter::name).toList());
        assertArrayEquals(new long[] {11, 16}, model.parameter("token_embedding.weight").shape());
        assertArrayEquals(new long[] {6, 16},
                model.parameter("position_embedding.weight").shape());
        assertArrayEquals(new long[] {16, 16},
                model.parameter("blocks.1.attention.o.weight").shape());
        assertArrayEquals(new long[] {16, 64}, model.parameter("blocks.0.ffn.fc1.weight").shape());
        assertArrayEquals(new long[] {64}, model.parameter("blocks.0.ffn.fc1.bias").shape());
        assertArrayEquals(new long[] {64, 16}, model.parameter("blocks.0.ffn.fc2.weight").shape());
        assertArrayEquals(new long[] {16, 11}, model.parameter("lm_head.weight").shape());
        assertArrayEquals(new long[] {11}, model.parameter("lm_head.bias").shape());
    }

    @Test
    void postNormHasNoFinalLayerNorm() {
        Transformer model = new Transformer(CONFIG.withNorm(NormPlacement.POST));

        assertNull(model.parameter("final_ln.weight"));
        assertEquals("lm_head.weight",
                model.parameters().get(model.parameters().size() - 2).name());
    }

    @Test
    void initialisationFollowsTheSpecification() {
        Transformer model = new Transformer(CONFIG.withDataType(DataType.DOUBLE));

        INDArray w = model.parameter("blocks.0.attention.q.weight").value();
        double std = w.stdNumber().doubleValue();
        assertTrue(Math.abs(std - 0.02) < 0.004, "std of q weight " + std);
        assertEquals(0.0, model.parameter("blocks.0.attention.q.bias").value()
                .amaxNumber().doubleValue(), 0.0);
        assertEquals(16.0, model.parameter("final_ln.weight").value().sumNumber().doubleValue(),
                0.0);
        assertEquals(0.0, model.parameter("final_ln.bias").value().amaxNumber().doubleValue(),
                0.0);
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void everyArrayHasTheConfiguredDataType(DataType type) {
        Transformer model = new Transformer(CONFIG.withDataType(type));

        model.forwardLoss(BATCH);
        model.backward(1.0);

        for (Parameter p : model.parameters()) {
            assertEquals(type, p.value().dataType(), p.name());
            assertEquals(type, p.grad().dataType(), p.name());
        }
        assertEquals(type, model.attention(0).dataType());
        assertEquals(type, model.logits(BATCH.inputs()).dataType());
    }

    @Nested
    class Determinism {

        @Test
        void sameSeedGivesBitIdenticalWeightsAndLoss() {
            Transformer a = new Transformer(CONFIG);
            Transformer b = new Transformer(CONFIG);

            for (int i = 0; i < a.parameters().size(); i++) {
                assertArrayEquals(a.parameters().get(i).value().data().asFloat(),
                        b.parameters().get(i).value().data().asFloat());
            }
            assertEquals(Double.doubleToLongBits(a.forwardLoss(BATCH)),
                    Double.doubleToLongBits(b.forwardLoss(BATCH)));
        }

        @Test
        void differentSeedGivesDifferentWeights() {
            Transformer a = new Transformer(CONFIG);
            Transformer b = new Transformer(CONFIG.withSeed(43));

            assertFalse(java.util.Arrays.equals(
                    a.parameter("token_embedding.weight").value().data().asFloat(),
                    b.parameter("token_embedding.weight").value().data().asFloat()));
        }

        @Test
        void modelsBuiltOnManyThreadsAtOnceAreIdentical() throws Exception {
            float[] expected = new Transformer(CONFIG).parameter("lm_head.weight").value()
                    .data().asFloat();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Transformer>> models = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    models.add(pool.submit(() -> new Transformer(CONFIG)));
                }
                for (Future<Transformer> model : models) {
                    assertArrayEquals(expected, model.get().parameter("lm_head.weight").value()
                            .data().asFloat());
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void backwardAddsIntoGradients() {
        Transformer model = new Transformer(CONFIG.withDataType(DataType.DOUBLE));
        model.forwardLoss(BATCH);
        model.backward(1.0);
        INDArray once = model.parameter("blocks.0.attention.v.weight").grad().dup();

        model.backward(1.0);

        INDArray twice = model.parameter("blocks.0.attention.v.weight").grad();
        assertEquals(0.0, twice.sub(once.mul(2)).amaxNumber().doubleValue(), 1e-15);
        model.zeroGrad();
        assertEquals(0.0, twice.amaxNumber().doubleValue(), 0.0);
    }

    @Test
    void buffersFollowChangingBatchShapes() {
        Transformer model = new Transformer(CONFIG.withDataType(DataType.DOUBLE));
        Batch other = new Batch(List.of(new int[] {3}, new int[] {4, 5}, new int[] {6}),
                List.of(new int[] {4}, new int[] {5, 6}, new int[] {Batch.IGNORE}));
        model.forwardLoss(BATCH);
        model.backward(1.0);
        INDArray first = model.parameter("blocks.1.ffn.fc1.weight").grad().dup();
        double firstLoss = model.forwardLoss(BATCH);

        model.zeroGrad();
        model.forwardLoss(other);
        model.backward(1.0);
        model.zeroGrad();
        double again = model.forwardLoss(BATCH);
        model.backward(1.0);

        assertEquals(Double.doubleToLongBits(firstLoss), Double.doubleToLongBits(again));
        assertArrayEquals(first.data().asDouble(),
                model.parameter("blocks.1.ffn.fc1.weight").grad().data().asDouble());
    }

    @Test
    void logitsCoverEveryPaddedPosition() {
        Transformer model = new Transformer(CONFIG);

        INDArray logits = model.logits(BATCH.inputs());

        assertArrayEquals(new long[] {2, 6, 11}, logits.shape());
        assertArrayEquals(new long[] {2, 6, 16}, model.blockOutput(1).shape());
        assertThrows(IllegalStateException.class, () -> model.backward(1.0));
    }

    @Test
    void paddingChangesNothingForTheShorterSequence() {
        Transformer model = new Transformer(CONFIG.withDataType(DataType.DOUBLE));
        Fixtures.randomize(model.parameters(), 5, 0.3);
        Batch shortAlone = new Batch(List.of(BATCH.inputs().get(1)),
                List.of(BATCH.targets().get(1)));
        Batch longAlone = new Batch(List.of(BATCH.inputs().get(0)),
                List.of(BATCH.targets().get(0)));

        double both = model.forwardLoss(BATCH);
        INDArray logitsBoth = model.logits(BATCH.inputs());
        double shortLoss = model.forwardLoss(shortAlone);
        INDArray logitsShort = model.logits(shortAlone.inputs());
        double longLoss = model.forwardLoss(longAlone);

        // token-weighted mean: 6 counted targets in the long sequence, 2 in the short one
        assertEquals((6 * longLoss + 2 * shortLoss) / 8, both, 1e-12);
        INDArray paddedRows = logitsBoth.get(NDArrayIndex.point(1), NDArrayIndex.interval(0, 3));
        INDArray aloneRows = logitsShort.get(NDArrayIndex.point(0), NDArrayIndex.all());
        assertEquals(0.0, paddedRows.sub(aloneRows).amaxNumber().doubleValue(), 1e-12);
    }

    @Test
    void attentionHasOneRowPerQueryAndIgnoresPadding() {
        Transformer model = new Transformer(CONFIG.withDataType(DataType.DOUBLE));
        model.forwardLoss(BATCH);

        INDArray p = model.attention(1);

        assertArrayEquals(new long[] {2, 2, 6, 6}, p.shape());
        // sequence 1 has length 3: its rows 0..2 sum to 1, padded rows and columns are zero
        INDArray second = p.get(NDArrayIndex.point(1), NDArrayIndex.point(0));
        assertArrayEquals(new double[] {1, 1, 1, 0, 0, 0},
                second.sum(1).toDoubleVector(), 1e-12);
        assertEquals(0.0, second.get(NDArrayIndex.all(), NDArrayIndex.interval(3, 6))
                .amaxNumber().doubleValue(), 0.0);
        // causal: nothing above the diagonal
        INDArray first = p.get(NDArrayIndex.point(0), NDArrayIndex.point(1));
        assertEquals(0.0, first.getDouble(2, 3), 0.0);
        assertTrue(first.getDouble(3, 2) > 0);
    }

    @Nested
    class InvalidInput {

        final Transformer model = new Transformer(CONFIG);

        @Test
        void dModelNotDivisibleByHeadsNamesTheField() {
            InvalidConfigException e = assertThrows(InvalidConfigException.class,
                    () -> new Transformer(TransformerConfig.of(11, 10, 3, 1, 6)));
            assertEquals("nHeads", e.field());
        }

        @Test
        void emptyBatchIsRejected() {
            assertMessage("batch is empty", new Batch(List.of(), List.of()));
        }

        @Test
        void emptyOrTooLongSequencesAreRejected() {
            assertMessage("inputs[1] has length 0",
                    new Batch(List.of(new int[] {1}, new int[0]), List.of(new int[] {1},
                            new int[0])));
            assertMessage("inputs[0] has length 7; expected 1..6",
                    new Batch(List.of(new int[7]), List.of(new int[7])));
        }

        @Test
        void idsOutsideTheVocabularyAreRejected() {
            assertMessage("inputs[0][1] = 11 is not a token id in [0, 11)",
                    new Batch(List.of(new int[] {1, 11}), List.of(new int[] {1, 2})));
            assertMessage("targets[0][0] = -2",
                    new Batch(List.of(new int[] {1, 2}), List.of(new int[] {-2, 2})));
        }

        @Test
        void targetsMustMatchTheirInputs() {
            assertMessage("targets[0] has length 1 but inputs[0] has length 2",
                    new Batch(List.of(new int[] {1, 2}), List.of(new int[] {1})));
            assertMessage("2 input sequences but 1 target sequences",
                    new Batch(List.of(new int[] {1}, new int[] {2}), List.of(new int[] {1})));
        }

        @Test
        void backwardBeforeAForwardIsRejected() {
            assertThrows(IllegalStateException.class, () -> model.backward(1.0));
            assertThrows(IllegalStateException.class, () -> model.attention(0));
            assertThrows(IllegalArgumentException.class, () -> model.attention(2));
            assertThrows(IllegalStateException.class, () -> model.blockOutput(0));
        }

        private void assertMessage(String expected, Batch batch) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forwardLoss(batch));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }
}
