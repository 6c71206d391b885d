package dev.gradlens.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    static final Path SHAKESPEARE = Path.of("../shared/data/tinyshakespeare.txt");

    static String shakespeare() throws IOException {
        Assumptions.assumeTrue(Files.exists(SHAKESPEARE),
                "skipped: " + SHAKESPEARE.toAbsolutePath() + " is absent");
        return Files.readString(SHAKESPEARE, StandardCharsets.UTF_8);
    }

    @Test
    void vocabularyIsTheSortedDistinctCharacters() {
        CharTokenizer tokenizer = CharTokenizer.fromCorpus("hello");

        assertThat(tokenizer.alphabet()).isEqualTo("ehlo");
        assertThat(tokenizer.vocabSize()).isEqualTo(4);
        assertThat(tokenizer.encode("hello")).containsExactly(1, 0, 2, 2, 3);
        assertThat(tokenizer.tokenLabel(3)).isEqualTo("o");
        assertThat(tokenizer.kind()).isEqualTo("char");
    }

    @Test
    void roundTripsThroughItsAlphabet() {
        CharTokenizer original = CharTokenizer.fromCorpus("To be, or not to be?\n");
        CharTokenizer restored = CharTokenizer.fromAlphabet(original.alphabet());

        int[] ids = original.encode("not to be");

        assertThat(restored.encode("not to be")).containsExactly(ids);
        assertThat(restored.decode(ids)).isEqualTo("not to be");
    }

    @Test
    void charactersOutsideTheBasicPlaneAreOneToken() {
        String text = "a\uD83D\uDE00b";
        CharTokenizer tokenizer = CharTokenizer.fromCorpus(text);

        int[] ids = tokenizer.encode(text);

        assertThat(tokenizer.vocabSize()).isEqualTo(3);
        assertThat(ids).containsExactly(0, 2, 1);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
        assertThat(tokenizer.tokenLabel(2)).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void unknownCharacterIsNamedWithItsPosition() {
        CharTokenizer tokenizer = CharTokenizer.fromCorpus("abc");

        assertThatThrownBy(() -> tokenizer.encode("abzc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'z'").hasMessageContaining("U+007A")
                .hasMessageContaining("position 2");
    }

    @Test
    void idOutsideTheVocabularyIsRejected() {
        CharTokenizer tokenizer = CharTokenizer.fromCorpus("abc");

        assertThatThrownBy(() -> tokenizer.decode(new int[] {0, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
        assertThatThrownBy(() -> tokenizer.tokenLabel(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alphabetWithARepeatIsRejected() {
        assertThatThrownBy(() -> CharTokenizer.fromAlphabet("abca"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
        assertThatThrownBy(() -> CharTokenizer.fromAlphabet(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tinyShakespeareHasSixtyFiveCharacters() throws IOException {
        String text = shakespeare();

        CharTokenizer tokenizer = CharTokenizer.fromCorpus(text);

        assertThat(tokenizer.vocabSize()).isEqualTo(65);
        assertThat(tokenizer.alphabet()).isEqualTo("\n !$&',-.3:;?"
                + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
    }
}
