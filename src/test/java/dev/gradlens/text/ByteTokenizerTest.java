package dev.gradlens.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteTokenizerTest {

    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void idsAreTheUtf8Bytes() {
        // 'é' is U+00E9, UTF-8 C3 A9; '😀' is U+1F600, UTF-8 F0 9F 98 80
        assertThat(tokenizer.encode("aé")).containsExactly(0x61, 0xC3, 0xA9);
        assertThat(tokenizer.encode("\uD83D\uDE00")).containsExactly(0xF0, 0x9F, 0x98, 0x80);
        assertThat(tokenizer.vocabSize()).isEqualTo(256);
        assertThat(tokenizer.kind()).isEqualTo("byte");
    }

    @Test
    void roundTripsAnyText() {
        String text = "Thou art\tsó \uD83D\uDE00 fair\n";

        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
    }

    @Test
    void malformedUtf8DecodesToReplacementCharacters() {
        // a lead byte without its continuation, then a lone continuation byte
        assertThat(tokenizer.decode(new int[] {0x61, 0xC3})).isEqualTo("a\uFFFD");
        assertThat(tokenizer.decode(new int[] {0x80, 0x62})).isEqualTo("\uFFFDb");
    }

    @Test
    void loneSurrogateIsRejectedWithItsPosition() {
        assertThatThrownBy(() -> tokenizer.encode("ab\uD83D"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+D83D").hasMessageContaining("position 2");
    }

    @Test
    void idOutsideTheBytesIsRejected() {
        assertThatThrownBy(() -> tokenizer.decode(new int[] {256}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelsShowPrintableAsciiAndHexOtherwise() {
        assertThat(tokenizer.tokenLabel('A')).isEqualTo("A");
        assertThat(tokenizer.tokenLabel('\n')).isEqualTo("<0x0A>");
        assertThat(tokenizer.tokenLabel(0xC3)).isEqualTo("<0xC3>");
    }
}
