package dev.gradlens.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gradlens.text.CharTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generation against a fake model whose logits are a fixed function of the context, so that the
 * expected tokens can be computed here independently.
 */
class GeneratorTest {

    private static final int VOCAB = 12;
    private static final int MAX_SEQ_LEN = 5;

    /** Logit of token v after a context: a smooth mix of the last token, v and the length. */
    static double fakeLogit(int[] context, int position, int v) {
        int last = context[position];
        return 2.0 * Math.sin(0.7 * last + 1.3 * v + 0.1 * position) + 0.05 * v;
    }

    /** The fake model, recording every context it is given. */
    static final class FakeModel implements LogitsModel {
        final List<int[]> contexts = new ArrayList<>();

        @Override
        public INDArray logits(List<int[]> inputs) {
            int[] context = inputs.get(0);
            contexts.add(context.clone());
            float[] values = new float[context.length * VOCAB];
            for (int t = 0; t < context.length; t++) {
                for (int v = 0; v < VOCAB; v++) {
                    values[t * VOCAB + v] = (float) fakeLogit(context, t, v);
                }
            }
            return Nd4j.create(values, new long[] {1, context.length, VOCAB}, 'c');
        }
    }

    private final FakeModel model = new FakeModel();
    private final Generator generator = new Generator(model, MAX_SEQ_LEN, VOCAB);

    @Test
    void sameSeedGivesSameTokensAndOtherSeedsDiffer() {
        int[] prompt = {1, 2, 3};

        int[] first = generator.generate(prompt, new SamplingOptions(40, 1.5, 0, 42));
        int[] again = generator.generate(prompt, new SamplingOptions(40, 1.5, 0, 42));
        int[] other = generator.generate(prompt, new SamplingOptions(40, 1.5, 0, 43));

        assertThat(first).hasSize(40).isEqualTo(again);
        assertThat(other).isNotEqualTo(first);
        assertThat(Arrays.stream(first).distinct().count()).isGreaterThan(3);
    }

    @Test
    void topKOneAndTemperatureZeroEqualTheArgmaxOfTheLogits() {
        int[] prompt = {4, 0, 7};

        int[] topOne = generator.generate(prompt, new SamplingOptions(15, 0.8, 1, 5));
        int[] greedy = generator.generate(prompt, SamplingOptions.greedy(15));

        int[] context = prompt.clone();
        int[] expected = new int[15];
        for (int i = 0; i < 15; i++) {
            int[] window = Arrays.copyOfRange(context,
                    Math.max(0, context.length - MAX_SEQ_LEN), context.length);
            int best = 0;
            for (int v = 1; v < VOCAB; v++) {
                if ((float) fakeLogit(window, window.length - 1, v)
                        > (float) fakeLogit(window, window.length - 1, best)) {
                    best = v;
                }
            }
            expected[i] = best;
            context = Arrays.copyOf(context, context.length + 1);
            context[context.length - 1] = best;
        }
        assertThat(topOne).isEqualTo(expected);
        assertThat(greedy).isEqualTo(expected);
    }

    @Test
    void contextIsCroppedToTheLastMaxSeqLenTokens() {
        int[] prompt = {0, 1, 2, 3, 4, 5, 6, 7, 8};

        int[] generated = generator.generate(prompt, new SamplingOptions(3, 1, 0, 9));

        assertThat(model.contexts).hasSize(3);
        assertThat(model.contexts.get(0)).containsExactly(4, 5, 6, 7, 8);
        assertThat(model.contexts.get(1)).containsExactly(5, 6, 7, 8, generated[0]);
        assertThat(model.contexts.get(2)).containsExactly(6, 7, 8, generated[0], generated[1]);
    }

    @Test
    void textPromptIsEncodedAndOnlyTheNewTextReturned() {
        CharTokenizer tokenizer = CharTokenizer.fromAlphabet("abcdefghijkl");

        String text = generator.generate(tokenizer, "abc", SamplingOptions.greedy(4));

        int[] ids = generator.generate(new int[] {0, 1, 2}, SamplingOptions.greedy(4));
        assertThat(text).isEqualTo(tokenizer.decode(ids)).hasSize(4);
        assertThat(generator.generate(tokenizer, "abc", SamplingOptions.greedy(0))).isEmpty();
    }

    @Test
    void topKTwoDrawsOnlyTheTwoLargestInProportionToTheirSoftmax() {
        double[] logits = {0.0, 2.0, -1.0, 1.0, 0.5};
        SamplingOptions options = new SamplingOptions(1, 1.0, 2, 0);
        SplittableRandom random = new SplittableRandom(3);
        int[] counts = new int[logits.length];

        for (int i = 0; i < 20_000; i++) {
            counts[Sampling.next(logits, options, random)]++;
        }

        // p(1) = e^2 / (e^2 + e^1) = 0.731059 among ids 1 and 3 only
        assertThat(counts[0] + counts[2] + counts[4]).isZero();
        assertThat(counts[1] / 20_000.0).isCloseTo(0.731059, org.assertj.core.data.Offset
                .offset(0.01));
    }

    @Test
    void temperatureSharpensTheDistribution() {
        double[] logits = {1.0, 0.0};
        SplittableRandom random = new SplittableRandom(4);
        int firsts = 0;

        for (int i = 0; i < 20_000; i++) {
            firsts += Sampling.next(logits, new SamplingOptions(1, 0.5, 0, 0), random) == 0 ? 1 : 0;
        }

        // softmax([2, 0]) = e^2 / (e^2 + 1) = 0.880797
        assertThat(firsts / 20_000.0).isCloseTo(0.880797, org.assertj.core.data.Offset
                .offset(0.01));
    }

    @Test
    void argmaxTakesTheLowestIdOnATie() {
        assertThat(Sampling.argmax(new double[] {1, 3, 3, 2})).isEqualTo(1);
        assertThat(Sampling.topK(new double[] {1, 3, 3, 2}, 3)).containsExactly(1, 2, 3);
    }

    @Nested
    class Rejects {

        @Test
        void badTemperatures() {
            for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertThatThrownBy(() -> new SamplingOptions(5, bad, 0, 1))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("temperature");
            }
        }

        @Test
        void negativeCountsAndBadPrompts() {
            assertThatThrownBy(() -> new SamplingOptions(-1, 1, 0, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxNewTokens");
            assertThatThrownBy(() -> new SamplingOptions(1, 1, -3, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topK");
            assertThatThrownBy(() -> generator.generate(new int[0], SamplingOptions.greedy(1)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("prompt");
            assertThatThrownBy(() -> generator.generate(new int[] {3, 12},
                    SamplingOptions.greedy(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("prompt token 12 at position 1 is outside [0, 12)");
        }

        @Test
        void nonFiniteOrMisshapenLogits() {
            Generator nan = new Generator(inputs -> Nd4j.valueArrayOf(new long[] {1, 1, VOCAB},
                    Double.NaN), MAX_SEQ_LEN, VOCAB);
            Generator narrow = new Generator(inputs -> Nd4j.zeros(1, 1, VOCAB - 1),
                    MAX_SEQ_LEN, VOCAB);

            assertThatThrownBy(() -> nan.generate(new int[] {1}, SamplingOptions.greedy(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("NaN");
            assertThatThrownBy(() -> narrow.generate(new int[] {1}, SamplingOptions.greedy(1)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("expected logits [1, 1, 12]");
        }
    }
}
