package dev.gradlens.text;

/**
 * Turns text into token ids and back.
 */
public interface Tokenizer {

    /** Number of distinct ids, V. */
    int vocabSize();

    /**
     * @throws IllegalArgumentException naming the first character that has no id
     */
    int[] encode(String text);

    /** @throws IllegalArgumentException for an id outside [0, vocabSize) */
    String decode(int[] ids);

    /** Token strings for labels, one per id. */
    String tokenLabel(int id);

    /** "char" or "byte". */
    String kind();
}
