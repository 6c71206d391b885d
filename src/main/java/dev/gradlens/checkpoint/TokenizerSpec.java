package dev.gradlens.checkpoint;

import dev.gradlens.text.ByteTokenizer;
import dev.gradlens.text.CharTokenizer;
import dev.gradlens.text.Tokenizer;

/**
 * What it takes to rebuild a tokenizer: its kind and, for a character tokenizer, its alphabet.
 *
 * @param kind {@code "char"} or {@code "byte"}
 * @param alphabet the code points of ids 0, 1, 2, ... ({@link CharTokenizer#alphabet()}) for
 *     "char"; null for "byte"
 */
public record TokenizerSpec(String kind, String alphabet) {

    /**
     * @throws IllegalArgumentException when the kind is unknown, a char tokenizer has no (or an
     *     empty) alphabet, or a byte tokenizer has one
     */
    public TokenizerSpec {
        if ("char".equals(kind)) {
            if (alphabet == null || alphabet.isEmpty()) {
                throw new IllegalArgumentException("a char tokenizer needs a non-empty alphabet");
            }
        } else if ("byte".equals(kind)) {
            if (alphabet != null) {
                throw new IllegalArgumentException("a byte tokenizer has no alphabet");
            }
        } else {
            throw new IllegalArgumentException("tokenizer kind must be char or byte, was " + kind);
        }
    }

    /**
     * The description of a tokenizer.
     *
     * @throws IllegalArgumentException for a tokenizer other than {@link CharTokenizer} and
     *     {@link ByteTokenizer}
     */
    public static TokenizerSpec of(Tokenizer tokenizer) {
        if (tokenizer instanceof CharTokenizer chars) {
            return new TokenizerSpec("char", chars.alphabet());
        }
        if (tokenizer instanceof ByteTokenizer) {
            return new TokenizerSpec("byte", null);
        }
        throw new IllegalArgumentException("cannot describe tokenizer "
                + tokenizer.getClass().getName() + "; only char and byte tokenizers are saved");
    }

    /**
     * A tokenizer equal to the one described.
     *
     * @throws IllegalArgumentException when the alphabet repeats a code point
     */
    public Tokenizer create() {
        return "char".equals(kind) ? CharTokenizer.fromAlphabet(alphabet) : new ByteTokenizer();
    }

    /** Number of ids of the tokenizer. */
    public int vocabSize() {
        return "char".equals(kind) ? (int) alphabet.codePoints().count()
                : ByteTokenizer.VOCAB_SIZE;
    }
}
