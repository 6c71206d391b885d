package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.InvalidConfigException;
import dev.gradlens.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {

    private static final double TOLERANCE = 1e-12;

    /**
     * With w = 5, b = 0: residuals r = 5·1 − 1 = 4 and 5·2 − 8 = 2, so the loss is
     * (½·16 + ½·4)/2 = 5, dL/dw = (4·1 + 2·2)/2 = 4 and dL/db = (4 + 2)/2 = 3; global norm 5.
     */
    private static Batch fourThreeBatch() {
        return batch(new int[] {1, 2}, new int[] {1, 8});
    }

    private static Batch batch(int[] inputs, int[] targets) {
        return new Batch(List.of(inputs), List.of(targets));
    }

    private static double[] grads(LeastSquaresModel model) {
        return new double[] {model.parameters().get(0).grad().getDouble(0),
                model.parameters().get(1).grad().getDouble(0)};
    }

    /** Bit patterns of every weight and every optimizer state tensor, plus the step count. */
    private static List<String> snapshot(LeastSquaresModel model, Trainer trainer) {
        List<String> bits = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            bits.add(p.name() + "=" + Double.doubleToRawLongBits(p.value().getDouble(0)));
        }
        for (Map.Entry<String, INDArray> e : trainer.state().entrySet()) {
            bits.add(e.getKey() + "=" + Double.doubleToRawLongBits(e.getValue().getDouble(0)));
        }
        bits.add("step=" + trainer.stepCount());
        return bits;
    }

    @Test
    void reportsLossAndGradientNormsBeforeTheUpdate() {
        LeastSquaresModel model = new LeastSquaresModel(5, 0);
        Trainer trainer = new Trainer(model, OptimizerConfig.sgd(0.1, 0));

        StepResult result = trainer.step(List.of(fourThreeBatch()), true);

        assertThat(result.loss()).isCloseTo(5, within(TOLERANCE));
        assertThat(result.gradNorm()).isCloseTo(5, within(TOLERANCE));
        assertThat(result.gradNorms()).containsExactly(Map.entry("weight", 4.0),
                Map.entry("bias", 3.0));
        assertThat(result.tokens()).isEqualTo(2);
        assertThat(result.step()).isEqualTo(1);
        assertThat(result.applied()).isTrue();
        assertThat(result.finite()).isTrue();
    }

    @Test
    void gradientsAreZeroedBeforeEachStep() {
        LeastSquaresModel model = new LeastSquaresModel(5, 0);
        Trainer trainer = new Trainer(model, OptimizerConfig.sgd(0.1, 0));

        trainer.step(List.of(fourThreeBatch()), false);
        trainer.step(List.of(fourThreeBatch()), false);

        assertThat(grads(model)).containsExactly(4, 3);
    }

    @Test
    void accumulationIsWeightedByTokenCount() {
        // w = 1, b = 0. First micro-batch: x = 1, 2, 3, y = 2, 2, 2, r = −1, 0, 1 (3 tokens);
        // second: x = 4, 0, y = 1, IGNORE, r = 3 (1 token). Over the 4 tokens: loss
        // (0.5 + 0 + 0.5 + 4.5)/4 = 1.375 (a mean of means would give 2.41667),
        // dL/dw = (−1 + 0 + 3 + 12)/4 = 3.5, dL/db = (−1 + 0 + 1 + 3)/4 = 0.75
        LeastSquaresModel split = new LeastSquaresModel(1, 0);
        LeastSquaresModel whole = new LeastSquaresModel(1, 0);
        Batch first = batch(new int[] {1, 2, 3}, new int[] {2, 2, 2});
        Batch second = batch(new int[] {4, 0}, new int[] {1, Batch.IGNORE});
        Batch merged = new Batch(List.of(new int[] {1, 2, 3}, new int[] {4, 0}),
                List.of(new int[] {2, 2, 2}, new int[] {1, Batch.IGNORE}));

        StepResult parts = new Trainer(split, OptimizerConfig.sgd(0.1, 0))
                .step(List.of(first, second), false);
        StepResult one = new Trainer(whole, OptimizerConfig.sgd(0.1, 0))
                .step(List.of(merged), false);

        assertThat(parts.loss()).isCloseTo(1.375, within(TOLERANCE));
        assertThat(one.loss()).isCloseTo(1.375, within(TOLERANCE));
        assertThat(parts.tokens()).isEqualTo(4);
        assertThat(grads(split)[0]).isCloseTo(3.5, within(TOLERANCE));
        assertThat(grads(split)[1]).isCloseTo(0.75, within(TOLERANCE));
        assertThat(grads(whole)[0]).isCloseTo(3.5, within(TOLERANCE));
        assertThat(grads(whole)[1]).isCloseTo(0.75, within(TOLERANCE));
    }

    @Test
    void clippingScalesTheUpdateButNotTheStoredGradient() {
        // Gradient (4, 3) has norm 5; clipped to 1 it is (0.8, 0.6); SGD with η = 1
        LeastSquaresModel model = new LeastSquaresModel(5, 0);
        Trainer trainer = new Trainer(model, OptimizerConfig.sgd(1, 0).withGradClip(1));

        StepResult result = trainer.step(List.of(fourThreeBatch()), true);

        assertThat(model.w()).isCloseTo(4.2, within(TOLERANCE));
        assertThat(model.b()).isCloseTo(-0.6, within(TOLERANCE));
        assertThat(result.gradNorm()).isCloseTo(5, within(TOLERANCE));
        assertThat(grads(model)).containsExactly(4, 3);
    }

    @Test
    void updateRatiosCompareTheUpdateWithTheWeightsBeforeIt() {
        // ΔW = −0.1·4 = −0.4 against ‖W‖ = 5 gives 0.08; the bias starts at 0 and moves: +∞
        LeastSquaresModel model = new LeastSquaresModel(5, 0);
        Trainer trainer = new Trainer(model, OptimizerConfig.sgd(0.1, 0));

        StepResult result = trainer.step(List.of(fourThreeBatch()), true);

        assertThat(result.updateRatios().get("weight")).isCloseTo(0.08, within(TOLERANCE));
        assertThat(result.updateRatios().get("bias")).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(Trainer.updateRatio(0, 0)).isZero();
    }

    @Test
    void learningRateFollowsTheScheduleByStep() {
        LeastSquaresModel model = new LeastSquaresModel(5, 0);
        OptimizerConfig config = OptimizerConfig.sgd(1, 0).withWarmupCosine(4, 10, 0);
        Trainer trainer = new Trainer(model, config);

        StepResult first = trainer.step(List.of(fourThreeBatch()), true);
        StepResult second = trainer.step(List.of(fourThreeBatch()), true);

        assertThat(first.learningRate()).isCloseTo(0.25, within(TOLERANCE));
        assertThat(second.learningRate()).isCloseTo(0.5, within(TOLERANCE));
        // step 1 (η 0.25): w = 5 − 0.25·4 = 4, b = −0.25·3 = −0.75; step 2 (η 0.5): residuals
        // 4 − 0.75 − 1 = 2.25 and 8 − 0.75 − 8 = −0.75, dL/dw = (2.25 − 1.5)/2 = 0.375,
        // w = 4 − 0.5·0.375 = 3.8125
        assertThat(model.w()).isCloseTo(3.8125, within(TOLERANCE));
    }

    @Test
    void gradientOnlyStepChangesNoWeightAndNoState() {
        LeastSquaresModel model = new LeastSquaresModel(5, 0);
        Trainer trainer = new Trainer(model, OptimizerConfig.adamW(0.1));
        trainer.step(List.of(fourThreeBatch()), true);
        List<String> before = snapshot(model, trainer);

        StepResult result = trainer.step(List.of(fourThreeBatch()), false);

        assertThat(snapshot(model, trainer)).isEqualTo(before);
        assertThat(result.applied()).isFalse();
        assertThat(result.finite()).isTrue();
        assertThat(result.step()).isEqualTo(1);
        assertThat(result.updateRatios().values()).containsOnly(0.0);
        assertThat(grads(model)[0]).isNotZero();
    }

    @Test
    void stateRoundTripContinuesIdentically() {
        LeastSquaresModel original = new LeastSquaresModel(5, 0);
        Trainer first = new Trainer(original, OptimizerConfig.adamW(0.1));
        for (int i = 0; i < 3; i++) {
            first.step(List.of(fourThreeBatch()), true);
        }
        Map<String, INDArray> saved = first.state();
        LeastSquaresModel copy = new LeastSquaresModel(original.w(), original.b());
        Trainer second = new Trainer(copy, OptimizerConfig.adamW(0.1));

        second.restore(saved, first.stepCount());
        for (int i = 0; i < 2; i++) {
            first.step(List.of(fourThreeBatch()), true);
            second.step(List.of(fourThreeBatch()), true);
        }

        assertThat(saved).containsOnlyKeys("adam.m.weight", "adam.m.bias", "adam.v.weight",
                "adam.v.bias");
        assertThat(snapshot(copy, second)).isEqualTo(snapshot(original, first));
        assertThat(second.stepCount()).isEqualTo(5);
    }

    @Test
    void stateIsACopy() {
        LeastSquaresModel model = new LeastSquaresModel(5, 0);
        Trainer trainer = new Trainer(model, OptimizerConfig.adamW(0.1));
        trainer.step(List.of(fourThreeBatch()), true);
        Map<String, INDArray> saved = trainer.state();
        double m = saved.get("adam.m.weight").getDouble(0);

        trainer.step(List.of(fourThreeBatch()), true);

        assertThat(saved.get("adam.m.weight").getDouble(0)).isEqualTo(m);
    }

    @Test
    void evaluateReturnsTheTokenWeightedLossWithoutTouchingGradients() {
        LeastSquaresModel model = new LeastSquaresModel(1, 0);
        Trainer trainer = new Trainer(model, OptimizerConfig.sgd(0.1, 0));

        double loss = trainer.evaluate(List.of(batch(new int[] {1, 2, 3}, new int[] {2, 2, 2}),
                batch(new int[] {4}, new int[] {1})));

        assertThat(loss).isCloseTo(1.375, within(TOLERANCE));
        assertThat(grads(model)).containsExactly(0, 0);
    }

    @Nested
    class SplitStep {

        @Test
        void applyAfterComputeGradientsEqualsStep() {
            LeastSquaresModel split = new LeastSquaresModel(5, 0);
            LeastSquaresModel whole = new LeastSquaresModel(5, 0);
            Trainer splitTrainer = new Trainer(split, OptimizerConfig.adamW(0.1));
            Trainer wholeTrainer = new Trainer(whole, OptimizerConfig.adamW(0.1));

            for (int i = 0; i < 3; i++) {
                PendingStep pending = splitTrainer.computeGradients(List.of(fourThreeBatch()));
                assertThat(pending.stepAfter(true)).isEqualTo(i + 1);
                StepResult applied = splitTrainer.apply(pending, true);
                StepResult stepped = wholeTrainer.step(List.of(fourThreeBatch()), true);
                assertThat(applied).isEqualTo(stepped);
            }
            assertThat(snapshot(split, splitTrainer)).isEqualTo(snapshot(whole, wholeTrainer));
            assertThat(grads(split)).containsExactly(grads(whole));
        }

        @Test
        void computeGradientsChangesOnlyTheGradients() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            Trainer trainer = new Trainer(model, OptimizerConfig.adamW(0.1));
            trainer.step(List.of(fourThreeBatch()), true);
            List<String> before = snapshot(model, trainer);

            PendingStep pending = trainer.computeGradients(List.of(fourThreeBatch()));

            assertThat(snapshot(model, trainer)).isEqualTo(before);
            assertThat(pending.stepCount()).isEqualTo(1);
            assertThat(pending.finite()).isTrue();
            assertThat(pending.gradNorms()).containsOnlyKeys("weight", "bias");
        }

        @Test
        void aSecondApplyThrows() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            Trainer trainer = new Trainer(model, OptimizerConfig.sgd(0.1, 0));
            PendingStep pending = trainer.computeGradients(List.of(fourThreeBatch()));
            trainer.apply(pending, true);
            List<String> after = snapshot(model, trainer);

            assertThatThrownBy(() -> trainer.apply(pending, true))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(snapshot(model, trainer)).isEqualTo(after);
        }

        @Test
        void aStalePendingStepThrows() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            Trainer trainer = new Trainer(model, OptimizerConfig.sgd(0.1, 0));
            PendingStep stale = trainer.computeGradients(List.of(fourThreeBatch()));
            PendingStep latest = trainer.computeGradients(List.of(fourThreeBatch()));

            assertThatThrownBy(() -> trainer.apply(stale, true))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(trainer.stepCount()).isZero();
            assertThat(trainer.apply(latest, true).applied()).isTrue();
        }

        @Test
        void applyWithoutUpdateAppliesNothing() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            Trainer trainer = new Trainer(model, OptimizerConfig.adamW(0.1));
            trainer.step(List.of(fourThreeBatch()), true);
            PendingStep pending = trainer.computeGradients(List.of(fourThreeBatch()));
            List<String> before = snapshot(model, trainer);

            StepResult result = trainer.apply(pending, false);

            assertThat(pending.appliesUpdate(false)).isFalse();
            assertThat(pending.stepAfter(false)).isEqualTo(1);
            assertThat(snapshot(model, trainer)).isEqualTo(before);
            assertThat(result.applied()).isFalse();
            assertThat(result.step()).isEqualTo(1);
            assertThat(result.updateRatios().values()).containsOnly(0.0);
            assertThatThrownBy(() -> trainer.apply(pending, true))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class NonFiniteSteps {

        @Test
        void nanLossChangesNoWeightAndNoState() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            Trainer trainer = new Trainer(model, OptimizerConfig.adamW(0.1));
            trainer.step(List.of(fourThreeBatch()), true);
            List<String> before = snapshot(model, trainer);

            model.poisonLoss(true);
            StepResult result = trainer.step(List.of(fourThreeBatch()), true);

            assertThat(result.finite()).isFalse();
            assertThat(result.applied()).isFalse();
            assertThat(result.step()).isEqualTo(1);
            assertThat(result.loss()).isNaN();
            assertThat(snapshot(model, trainer)).isEqualTo(before);
        }

        @Test
        void infiniteGradientChangesNoWeightAndNoState() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            Trainer trainer = new Trainer(model, OptimizerConfig.sgd(0.1, 0.9));
            trainer.step(List.of(fourThreeBatch()), true);
            List<String> before = snapshot(model, trainer);

            model.poisonGradient(true);
            StepResult result = trainer.step(List.of(fourThreeBatch()), true);

            assertThat(result.finite()).isFalse();
            assertThat(result.applied()).isFalse();
            assertThat(result.gradNorms().get("weight")).isInfinite();
            assertThat(snapshot(model, trainer)).isEqualTo(before);
        }

        @Test
        void anUpdateThatOverflowsIsAppliedAndReportedNotFinite() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            Trainer trainer = new Trainer(model, OptimizerConfig.sgd(1e308, 0));

            StepResult result = trainer.step(List.of(fourThreeBatch()), true);

            // w = 5 − 1e308·4 overflows to −∞; b = 0 − 1e308·3 too
            assertThat(result.applied()).isTrue();
            assertThat(result.finite()).isFalse();
            assertThat(result.step()).isEqualTo(1);
            assertThat(model.w()).isEqualTo(Double.NEGATIVE_INFINITY);
        }

        @Test
        void aWeightWithZeroGradientStaysPutAtTheSmallestEpsilon() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            OptimizerConfig config = OptimizerConfig.adam(0.1).withEpsilon(
                    OptimizerConfig.MIN_EPSILON);
            Trainer trainer = new Trainer(model, config);

            // residuals 5·1 − 6 = −1 and 5·2 − 9 = 1: dL/db = 0, dL/dw = (−1 + 2)/2 = 0.5
            StepResult result = trainer.step(List.of(batch(new int[] {1, 2},
                    new int[] {6, 9})), true);

            assertThat(result.finite()).isTrue();
            assertThat(model.parameters().get(1).value().getDouble(0)).isEqualTo(0.0);
            assertThat(model.w()).isCloseTo(4.9, within(1e-9));
        }

        @Test
        void trainingResumesAfterANonFiniteStep() {
            LeastSquaresModel model = new LeastSquaresModel(5, 0);
            Trainer trainer = new Trainer(model, OptimizerConfig.sgd(0.1, 0));
            model.poisonGradient(true);
            trainer.step(List.of(fourThreeBatch()), true);

            model.poisonGradient(false);
            StepResult result = trainer.step(List.of(fourThreeBatch()), true);

            assertThat(result.applied()).isTrue();
            assertThat(result.step()).isEqualTo(1);
            assertThat(model.w()).isCloseTo(4.6, within(TOLERANCE));
        }
    }

    @Nested
    class InvalidInput {

        private final Trainer trainer =
                new Trainer(new LeastSquaresModel(1, 0), OptimizerConfig.sgd(0.1, 0));

        @Test
        void emptyMicroBatchListIsRejected() {
            assertThatThrownBy(() -> trainer.step(List.of(), true))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void microBatchesWithoutCountedTargetsAreRejected() {
            Batch ignored = batch(new int[] {1}, new int[] {Batch.IGNORE});

            assertThatThrownBy(() -> trainer.step(List.of(ignored), true))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void invalidConfigIsRejectedWithItsField() {
            OptimizerConfig negative = OptimizerConfig.sgd(-1, 0);

            assertThatThrownBy(() -> new Trainer(new LeastSquaresModel(1, 0), negative))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessageContaining("learningRate");
        }

        @Test
        void epsilonBelowTheSmallestIsRejected() {
            for (double epsilon : new double[] {0, 1e-31}) {
                OptimizerConfig config = OptimizerConfig.adam(0.1).withEpsilon(epsilon);

                assertThatThrownBy(config::validate).isInstanceOf(InvalidConfigException.class)
                        .extracting(e -> ((InvalidConfigException) e).field())
                        .isEqualTo("epsilon");
            }
        }

        @Test
        void restoreWithMissingTensorsChangesNothing() {
            Map<String, INDArray> empty = new LinkedHashMap<>();

            assertThatThrownBy(() -> trainer.restore(empty, 7))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(trainer.stepCount()).isZero();
        }
    }
}
