package dev.gradlens.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gradlens.nn.Batch;
import dev.gradlens.text.Corpus.Split;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CorpusTest {

    /** Ids 0..99, so every id tells its position. */
    private final Corpus corpus = new Corpus(IntStream.range(0, 100).toArray());

    @Test
    void firstNinetyPercentIsTrainingData() {
        assertThat(corpus.splitIndex()).isEqualTo(90);
        assertThat(corpus.ids(Split.TRAIN)).hasSize(90).startsWith(0).endsWith(89);
        assertThat(corpus.ids(Split.VALIDATION)).hasSize(10).startsWith(90).endsWith(99);
        // ⌊11·0.9⌋ = 9
        assertThat(new Corpus(new int[11]).splitIndex()).isEqualTo(9);
    }

    @Test
    void windowsAreConsecutiveNextTokenPairs() {
        Batch batch = corpus.sampler(Split.TRAIN, 8, 5, 1).next();

        assertThat(batch.size()).isEqualTo(8);
        for (int b = 0; b < batch.size(); b++) {
            int[] x = batch.inputs().get(b);
            int[] y = batch.targets().get(b);
            assertThat(x).hasSize(5);
            for (int t = 0; t < 5; t++) {
                assertThat(x[t]).isEqualTo(x[0] + t);
                assertThat(y[t]).isEqualTo(x[t] + 1);
            }
        }
    }

    @Test
    void trainingWindowsStayBeforeTheSplit() {
        for (Batch batch : corpus.sampler(Split.TRAIN, 16, 9, 7).next(50)) {
            for (int[] y : batch.targets()) {
                assertThat(IntStream.of(y).max().getAsInt()).isLessThan(90);
            }
        }
    }

    @Test
    void validationWindowsStayAfterTheSplit() {
        // the 10 validation ids hold exactly one window of 9 + 1, which starts at 90
        Batch batch = corpus.sampler(Split.VALIDATION, 4, 9, 3).next();

        for (int b = 0; b < 4; b++) {
            assertThat(batch.inputs().get(b)).containsExactly(90, 91, 92, 93, 94, 95, 96, 97, 98);
            assertThat(batch.targets().get(b)).endsWith(99);
        }
    }

    @Test
    void windowsReachBothEndsOfAPart() {
        int[] firstInputs = corpus.sampler(Split.TRAIN, 64, 9, 5).next(20).stream()
                .flatMap(batch -> batch.inputs().stream()).mapToInt(x -> x[0]).toArray();

        // starts range over 0..80 (a window of 10 ends at 89)
        assertThat(firstInputs).contains(0, 80);
        assertThat(IntStream.of(firstInputs).min().getAsInt()).isZero();
        assertThat(IntStream.of(firstInputs).max().getAsInt()).isEqualTo(80);
    }

    @Test
    void sameSeedGivesSameBatches() {
        List<Batch> a = corpus.sampler(Split.TRAIN, 4, 6, 42).next(10);
        List<Batch> b = corpus.sampler(Split.TRAIN, 4, 6, 42).next(10);
        List<Batch> c = corpus.sampler(Split.TRAIN, 4, 6, 43).next(10);

        assertThat(flatten(a)).containsExactly(flatten(b));
        assertThat(flatten(a)).isNotEqualTo(flatten(c));
    }

    @Test
    void partShorterThanAWindowIsRejected() {
        assertThatThrownBy(() -> corpus.sampler(Split.VALIDATION, 1, 10, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10 ids");
        assertThatThrownBy(() -> corpus.sampler(Split.TRAIN, 0, 4, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Corpus(new int[1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesTextWithATokenizer() {
        Corpus text = Corpus.of("abcabcabca", CharTokenizer.fromCorpus("abc"));

        assertThat(text.size()).isEqualTo(10);
        assertThat(text.ids(Split.VALIDATION)).containsExactly(0);
    }

    private static int[] flatten(List<Batch> batches) {
        return batches.stream().flatMap(batch -> batch.inputs().stream())
                .flatMapToInt(IntStream::of).toArray();
    }
}
