package dev.gradlens.model;

import dev.gradlens.text.ByteTokenizer;
import dev.gradlens.text.CharTokenizer;
import dev.gradlens.text.Tokenizer;

/**
 * What it takes to rebuild a model's tokenizer: its kind and, for a char tokenizer, the alphabet
 * (each character once, in id order). Stored with the model row.
 *
 * @param type {@code "char"}, {@code "byte"} or {@code "none"} (token ids only)
 * @param alphabet the characters of a char tokenizer in id order, else null
 */
public record TokenizerSpec(String type, String alphabet) {

    public static final String CHAR = "char";
    public static final String BYTE = "byte";
    public static final String NONE = "none";

    public static TokenizerSpec none() {
        return new TokenizerSpec(NONE, null);
    }

    public static TokenizerSpec bytes() {
        return new TokenizerSpec(BYTE, null);
    }

    /** A char tokenizer whose alphabet is the distinct characters of {@code corpus}. */
    public static TokenizerSpec charsOf(String corpus) {
        return new TokenizerSpec(CHAR, CharTokenizer.fromCorpus(corpus).alphabet());
    }

    /** The tokenizer, or null for {@code none}. */
    public Tokenizer build() {
        return switch (type) {
            case CHAR -> CharTokenizer.fromAlphabet(alphabet);
            case BYTE -> new ByteTokenizer();
            default -> null;
        };
    }

    /** V of the tokenizer; null for {@code none}. */
    public Integer vocabSize() {
        return switch (type) {
            case CHAR -> (int) alphabet.codePoints().count();
            case BYTE -> ByteTokenizer.VOCAB_SIZE;
            default -> null;
        };
    }
}
