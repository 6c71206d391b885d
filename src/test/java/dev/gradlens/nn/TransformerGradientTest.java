package dev.gradlens.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradlens.nn.TransformerConfig.Activation;
import dev.gradlens.nn.TransformerConfig.NormPlacement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every element of every parameter of small float64 models against central finite differences,
 * on a ragged batch with padding, ignored targets and repeated token ids.
 */
class TransformerGradientTest {

    /** Ragged: lengths 4, 3 and 1; ids 1 and 4 repeat; two targets ignored besides padding. */
    static final Batch BATCH = new Batch(
            List.of(new int[] {1, 2, 1, 3}, new int[] {4, 1, 4}, new int[] {0}),
            List.of(new int[] {2, Batch.IGNORE, 3, 1}, new int[] {1, Batch.IGNORE, 0},
                    new int[] {3}));

    /** V 5, C 8, 2 heads, 2 layers, F 8, maxSeqLen 4, float64. */
    static TransformerConfig smallConfig(NormPlacement norm, boolean causal) {
        return new TransformerConfig(5, 8, 2, 2, 8, 4, causal, norm, Activation.GELU, 7L,
                DataType.DOUBLE);
    }

    private static int savedThreads;
    private static int savedBlasThreads;

    /**
     * Thousands of forward passes on arrays of a few dozen elements: thread hand-offs would cost
     * more than the arithmetic, so ND4J runs on one thread for this class.
     */
    @BeforeAll
    static void singleThreaded() {
        savedThreads = Nd4j.getEnvironment().maxThreads();
        savedBlasThreads = Nd4j.factory().blas().getMaxThreads();
        Nd4j.getEnvironment().setMaxThreads(1);
        Nd4j.factory().blas().setMaxThreads(1);
    }

    @AfterAll
    static void restoreThreads() {
        Nd4j.getEnvironment().setMaxThreads(savedThreads);
        Nd4j.factory().blas().setMaxThreads(savedBlasThreads);
    }

    @ParameterizedTest(name = "{0} causal={1}")
    @CsvSource({"PRE, true", "PRE, false", "POST, true", "POST, false"})
    void everyParameterMatchesFiniteDifferences(NormPlacement norm, boolean causal) {
        Transformer model = new Transformer(smallConfig(norm, causal));
        Fixtures.randomize(model.parameters(), 11, 0.3);

        Map<String, GradientCheck.Comparison> result =
                GradientCheck.check(model, BATCH, GradientCheck.STEP);

        assertEquals(model.parameters().size(), result.size());
        double worst = 0;
        for (Map.Entry<String, GradientCheck.Comparison> entry : result.entrySet()) {
            GradientCheck.Comparison comparison = entry.getValue();
            if (comparison.magnitude() < Fixtures.VANISHING) {
                assertTrue(entry.getKey().endsWith("attention.k.bias"),
                        entry.getKey() + " has a vanishing gradient");
            }
            worst = Math.max(worst, Fixtures.assertAgree(entry.getKey(), comparison));
        }
        System.out.printf("%s causal=%s: %d parameters, worst relative error %.3e%n",
                norm, causal, model.parameterCount(), worst);
    }
}
