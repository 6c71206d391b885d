package dev.gradlens.nn.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gradlens.nn.Parameter;
import java.util.List;
import java.util.function.Function;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamTest {

    private static final double TOLERANCE = 1e-12;

    private static Parameter scalar(String name, double value, DataType type) {
        return new Parameter(name, Nd4j.scalar(type, value).reshape(1));
    }

    private static double stepWithGradient(Optimizer optimizer, Parameter p, double g, long t,
            double lr) {
        p.grad().assign(g);
        optimizer.step(lr, t, 1);
        return p.value().getDouble(0);
    }

    @Test
    void constantUnitGradientMovesByLearningRateEachStep() {
        // m̂ = v̂ = 1 at every step, so ΔW = −η/(1 + ε) ≈ −0.001
        Parameter w = scalar("w", 0, DataType.DOUBLE);
        Optimizer adam = new Adam(List.of(w), 0.9, 0.999, 1e-8);

        assertThat(stepWithGradient(adam, w, 1, 1, 1e-3)).isCloseTo(-0.001, within(1e-10));
        assertThat(stepWithGradient(adam, w, 1, 2, 1e-3)).isCloseTo(-0.002, within(1e-10));
        assertThat(stepWithGradient(adam, w, 1, 3, 1e-3)).isCloseTo(-0.003, within(1e-10));
    }

    @Test
    void constantUnitGradientInFloat32() {
        Parameter w = scalar("w", 0, DataType.FLOAT);
        Optimizer adam = new Adam(List.of(w), 0.9, 0.999, 1e-8);

        assertThat(stepWithGradient(adam, w, 1, 1, 1e-3)).isCloseTo(-0.001, within(1e-7));
        assertThat(stepWithGradient(adam, w, 1, 2, 1e-3)).isCloseTo(-0.002, within(1e-7));
        assertThat(stepWithGradient(adam, w, 1, 3, 1e-3)).isCloseTo(-0.003, within(1e-7));
    }

    @Test
    void biasCorrectionWithChangingGradients() {
        // Worked from Kingma & Ba, Algorithm 1, with η = 0.01, w0 = 0.5, g = 1, −2, 0.5:
        // t=2: m = 0.09 − 0.2 = −0.11, m̂ = −0.11/0.19; v = 0.000999 + 0.004 = 0.004999,
        // v̂ = 0.004999/0.001999 = 2.50075; w = 0.49 + 0.01·0.578947/1.581376 = 0.4936610
        Parameter w = scalar("w", 0.5, DataType.DOUBLE);
        Optimizer adam = new Adam(List.of(w), 0.9, 0.999, 1e-8);

        assertThat(stepWithGradient(adam, w, 1, 1, 0.01)).isCloseTo(0.4900000001, within(1e-12));
        assertThat(stepWithGradient(adam, w, -2, 2, 0.01))
                .isCloseTo(0.4936610353472075, within(TOLERANCE));
        assertThat(stepWithGradient(adam, w, 0.5, 3, 0.01))
                .isCloseTo(0.4950279419673822, within(TOLERANCE));

        Map<String, INDArray> state = adam.state();
        assertThat(state.get("adam.m.w").getDouble(0)).isCloseTo(-0.049, within(TOLERANCE));
        assertThat(state.get("adam.v.w").getDouble(0)).isCloseTo(0.005244001, within(TOLERANCE));
    }

    @Test
    void gradScaleActsAsAScaledGradient() {
        Parameter scaled = scalar("w", 0.5, DataType.DOUBLE);
        Parameter plain = scalar("w", 0.5, DataType.DOUBLE);
        Optimizer a = new Adam(List.of(scaled), 0.9, 0.999, 1e-8);
        Optimizer b = new Adam(List.of(plain), 0.9, 0.999, 1e-8);

        scaled.grad().assign(4);
        a.step(0.01, 1, 0.25);
        stepWithGradient(b, plain, 1, 1, 0.01);

        assertThat(scaled.value().getDouble(0)).isCloseTo(plain.value().getDouble(0),
                within(TOLERANCE));
    }

    @Test
    void adamWDecaysWeightsOutsideTheMoments() {
        // ε = 0 and g = 1 keep m̂ = v̂ = 1, so W ← W − η·λ·W − η = 0.99·W − 0.1 (η 0.1, λ 0.1):
        // 1 → 0.89 → 0.7811 → 0.673289
        Parameter w = scalar("w", 1, DataType.DOUBLE);
        Optimizer adamW = new AdamW(List.of(w), 0.9, 0.999, 0, 0.1);

        assertThat(stepWithGradient(adamW, w, 1, 1, 0.1)).isCloseTo(0.89, within(TOLERANCE));
        assertThat(stepWithGradient(adamW, w, 1, 2, 0.1)).isCloseTo(0.7811, within(TOLERANCE));
        assertThat(stepWithGradient(adamW, w, 1, 3, 0.1)).isCloseTo(0.673289, within(TOLERANCE));
    }

    @Test
    void adamWWithZeroGradientOnlyDecays() {
        // m = v = 0 stay zero; W ← (1 − η·λ)·W = 0.95·W: 2 → 1.9 → 1.805
        Parameter w = scalar("w", 2, DataType.DOUBLE);
        Optimizer adamW = new AdamW(List.of(w), 0.9, 0.999, 1e-8, 0.5);

        List<INDArray> deltas = adamW.step(0.1, 1, 1);
        assertThat(deltas.get(0).getDouble(0)).isCloseTo(-0.1, within(TOLERANCE));
        assertThat(w.value().getDouble(0)).isCloseTo(1.9, within(TOLERANCE));
        assertThat(stepWithGradient(adamW, w, 0, 2, 0.1)).isCloseTo(1.805, within(TOLERANCE));
        assertThat(adamW.state().get("adam.m.w").getDouble(0)).isZero();
        assertThat(adamW.state().get("adam.v.w").getDouble(0)).isZero();
    }

    @Test
    void plainAdamIgnoresConfiguredWeightDecay() {
        Parameter w = scalar("w", 2, DataType.DOUBLE);
        Optimizer adam = Optimizer.create(OptimizerConfig.adam(0.1).withWeightDecay(0.5),
                List.of(w));

        adam.step(0.1, 1, 1);

        assertThat(w.value().getDouble(0)).isEqualTo(2.0);
    }

    @Test
    void restoreRejectsMissingOrMisshapenStateAndKeepsItsOwn() {
        Parameter w = scalar("w", 0, DataType.DOUBLE);
        Optimizer adam = new Adam(List.of(w), 0.9, 0.999, 1e-8);
        stepWithGradient(adam, w, 1, 1, 0.1);
        Map<String, INDArray> before = adam.state();

        Map<String, INDArray> wrongShape = Map.of("adam.m.w", Nd4j.zeros(DataType.DOUBLE, 2),
                "adam.v.w", Nd4j.zeros(DataType.DOUBLE, 1));
        assertThatThrownBy(() -> adam.restore(wrongShape))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adam.m.w");
        assertThatThrownBy(() -> adam.restore(Map.of("adam.m.w", before.get("adam.m.w"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adam.v.w");
        assertThat(adam.state()).isEqualTo(before);
    }

    @Test
    void stepBelowOneIsRejected() {
        Optimizer adam = new Adam(List.of(scalar("w", 0, DataType.DOUBLE)), 0.9, 0.999, 1e-8);

        assertThatThrownBy(() -> adam.step(0.1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void manyChunksMatchThePaperStepByStepInBothTypes() {
        // two parameters whose 160,001 elements span three chunks of the one-pass update, with a
        // chunk boundary inside the first; the reference applies Algorithm 1 (with decoupled
        // decay) element by element in double, with m̂ and v̂ written out
        for (DataType type : List.of(DataType.DOUBLE, DataType.FLOAT)) {
            Nd4j.getRandom().setSeed(7);
            Parameter a = new Parameter("a", Nd4j.rand(type, 70_000).subi(0.5));
            Parameter b = new Parameter("b", Nd4j.rand(type, 300, 300).subi(0.5).reshape(90_000));
            Parameter c = new Parameter("c", Nd4j.rand(type, 1).subi(0.5));
            List<Parameter> params = List.of(a, b, c);
            double[] w = concat(params, Parameter::value);
            double[] m = new double[w.length];
            double[] v = new double[w.length];
            double eta = 0.01;
            double lambda = 0.1;
            double scale = 0.5;
            Optimizer adamW = new AdamW(params, 0.9, 0.999, 1e-8, lambda);

            for (long t = 1; t <= 3; t++) {
                for (Parameter p : params) {
                    p.grad().assign(Nd4j.randn(type, p.grad().shape()));
                }
                double[] g = concat(params, Parameter::grad);
                for (int i = 0; i < w.length; i++) {
                    double gi = scale * g[i];
                    m[i] = 0.9 * m[i] + 0.1 * gi;
                    v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                    double mHat = m[i] / (1 - Math.pow(0.9, t));
                    double vHat = v[i] / (1 - Math.pow(0.999, t));
                    w[i] = w[i] - eta * mHat / (Math.sqrt(vHat) + 1e-8) - eta * lambda * w[i];
                }
                adamW.step(eta, t, scale);
            }

            double[] actual = concat(params, Parameter::value);
            double tolerance = type == DataType.DOUBLE ? 1e-12 : 2e-6;
            for (int i = 0; i < w.length; i++) {
                assertThat(actual[i]).as("%s element %d", type, i)
                        .isCloseTo(w[i], within(tolerance));
            }
        }
    }

    private static double[] concat(List<Parameter> params,
            Function<Parameter, INDArray> part) {
        double[] all = new double[(int) params.stream().mapToLong(p -> p.value().length()).sum()];
        int at = 0;
        for (Parameter p : params) {
            double[] values = part.apply(p).castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
            System.arraycopy(values, 0, all, at, values.length);
            at += values.length;
        }
        return all;
    }
}
