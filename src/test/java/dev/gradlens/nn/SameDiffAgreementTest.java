package dev.gradlens.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradlens.nn.TransformerConfig.Activation;
import dev.gradlens.nn.TransformerConfig.NormPlacement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hand-written backward pass against SameDiff's automatic differentiation of the same model
 * with the same weights, in float32.
 */
class SameDiffAgreementTest {

    /** Largest relative error allowed in float32, for the loss and each parameter gradient. */
    static final double FLOAT_TOLERANCE = 1e-4;

    /** Every sequence full length, every target counted. */
    static final Batch FULL = new Batch(
            List.of(new int[] {1, 5, 2, 9, 3, 3}, new int[] {0, 4, 4, 8, 6, 7}),
            List.of(new int[] {5, 2, 9, 3, 3, 1}, new int[] {4, 4, 8, 6, 7, 2}));

    /** Lengths 6, 4 and 2, with ignored targets. */
    static final Batch RAGGED = new Batch(
            List.of(new int[] {1, 5, 2, 9, 3, 3}, new int[] {0, 4, 4, 8}, new int[] {7, 7}),
            List.of(new int[] {5, -1, 9, 3, -1, 1}, new int[] {4, 4, 8, 6}, new int[] {-1, 2}));

    /** Two one-token sequences: with a causal mask, each token may attend only to itself. */
    static final Batch ONE_TOKEN = new Batch(
            List.of(new int[] {3}, new int[] {8}),
            List.of(new int[] {5}, new int[] {1}));

    @ParameterizedTest(name = "{0} causal={1} {2} ragged={3}")
    @CsvSource({
        "PRE, true, GELU, false",
        "PRE, true, GELU, true",
        "POST, true, GELU, true",
        "PRE, false, RELU, true",
        "POST, false, GELU, false"})
    void gradientsMatchSameDiff(NormPlacement norm, boolean causal, Activation activation,
            boolean ragged) {
        TransformerConfig config = new TransformerConfig(10, 16, 2, 2, 32, 6, causal, norm,
                activation, 3L, DataType.FLOAT);
        Transformer model = new Transformer(config);
        Fixtures.randomize(model.parameters(), 21, 0.4);
        Batch batch = ragged ? RAGGED : FULL;

        double worst = compare(model, batch, false);
        System.out.printf("%s causal=%s %s ragged=%s: worst relative %.3e%n", norm, causal,
                activation, ragged, worst);
    }

    /**
     * With one key per query the softmax is 1 whatever the score, so the q and k projections get
     * no gradient at all: those must be near zero on both sides, every other gradient must match.
     */
    @ParameterizedTest(name = "{0} causal={1}")
    @CsvSource({"PRE, true", "POST, true", "PRE, false"})
    void oneTokenBatchesMatchSameDiff(NormPlacement norm, boolean causal) {
        TransformerConfig config = new TransformerConfig(10, 16, 2, 2, 32, 6, causal, norm,
                Activation.GELU, 3L, DataType.FLOAT);
        Transformer model = new Transformer(config);
        Fixtures.randomize(model.parameters(), 21, 0.4);

        double worst = compare(model, ONE_TOKEN, true);
        System.out.printf("%s causal=%s one token: worst relative %.3e%n", norm, causal, worst);
    }

    /** Asserts loss and gradients against SameDiff's; returns the worst relative error. */
    private static double compare(Transformer model, Batch batch, boolean scoresHaveNoGradient) {
        double loss = model.forwardLoss(batch);
        model.backward(1.0);
        SameDiffTransformer reference = new SameDiffTransformer(model, batch);
        double referenceLoss = reference.loss();
        Map<String, INDArray> referenceGradients = reference.gradients();

        assertEquals(referenceLoss, loss, FLOAT_TOLERANCE * Math.abs(referenceLoss));
        double largest = model.parameters().stream()
                .mapToDouble(p -> p.grad().norm2Number().doubleValue()).max().orElseThrow();
        double worst = 0;
        for (Parameter p : model.parameters()) {
            INDArray expected = referenceGradients.get(p.name());
            double error = GradientCheck.relativeError(p.grad(), expected);
            boolean noGradient = p.name().endsWith("attention.k.bias") || scoresHaveNoGradient
                    && (p.name().contains("attention.q.") || p.name().contains("attention.k."));
            if (noGradient) {
                // ∂L/∂b_k = 0 exactly (softmax ignores a shift shared by a row): both near zero
                double scale = FLOAT_TOLERANCE * largest;
                assertTrue(p.grad().norm2Number().doubleValue() < scale, p.name());
                assertTrue(expected.norm2Number().doubleValue() < scale, p.name());
                continue;
            }
            assertTrue(error < FLOAT_TOLERANCE, p.name() + ": relative error " + error);
            worst = Math.max(worst, error);
        }
        return worst;
    }
}
