package dev.gradlens.text;

import java.util.HashMap;
import java.util.Map;

/**
 * Character-level tokenizer whose vocabulary is a list of Unicode code points; the id of a code
 * point is its position in that list. Built from a corpus, the list is the corpus's distinct code
 * points in ascending order (65 for tinyshakespeare).
 *
 * <p>Everything here counts code points, not Java chars, so a character outside the Basic
 * Multilingual Plane (an emoji, say) is one token, and positions in error messages are code-point
 * indices. A lone surrogate in the text is treated as a code point of its own.
 *
 * <p>To save the tokenizer with a model, store {@link #alphabet()} and rebuild it with
 * {@link #fromAlphabet(String)}.
 */
public final class CharTokenizer implements Tokenizer {

    private final int[] codePoints;
    private final Map<Integer, Integer> ids;

    private CharTokenizer(int[] codePoints) {
        this.codePoints = codePoints;
        this.ids = new HashMap<>();
        for (int id = 0; id < codePoints.length; id++) {
            if (ids.put(codePoints[id], id) != null) {
                throw new IllegalArgumentException("alphabet repeats "
                        + describe(codePoints[id]));
            }
        }
    }

    /**
     * The tokenizer of a corpus: its distinct code points, sorted ascending.
     *
     * @throws IllegalArgumentException when the corpus is empty
     */
    public static CharTokenizer fromCorpus(String corpus) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("corpus must not be empty");
        }
        return new CharTokenizer(corpus.codePoints().distinct().sorted().toArray());
    }

    /**
     * The tokenizer whose ids are the positions of the code points of {@code alphabet}, as
     * returned by {@link #alphabet()}.
     *
     * @throws IllegalArgumentException when the alphabet is empty or repeats a code point
     */
    public static CharTokenizer fromAlphabet(String alphabet) {
        if (alphabet.isEmpty()) {
            throw new IllegalArgumentException("alphabet must not be empty");
        }
        return new CharTokenizer(alphabet.codePoints().toArray());
    }

    /** The vocabulary as a string: the code point of id i is the i-th code point. */
    public String alphabet() {
        return new String(codePoints, 0, codePoints.length);
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    /**
     * @throws IllegalArgumentException naming the first code point without an id and its
     *     code-point index in the text
     */
    @Override
    public int[] encode(String text) {
        int[] points = text.codePoints().toArray();
        int[] out = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            Integer id = ids.get(points[i]);
            if (id == null) {
                throw new IllegalArgumentException(describe(points[i]) + " at position " + i
                        + " is not in the vocabulary");
            }
            out[i] = id;
        }
        return out;
    }

    /** @throws IllegalArgumentException for an id outside [0, vocabSize) */
    @Override
    public String decode(int[] tokenIds) {
        StringBuilder text = new StringBuilder(tokenIds.length);
        for (int id : tokenIds) {
            text.appendCodePoint(codePoints[checkId(id)]);
        }
        return text.toString();
    }

    /** @throws IllegalArgumentException for an id outside [0, vocabSize) */
    @Override
    public String tokenLabel(int id) {
        return Character.toString(codePoints[checkId(id)]);
    }

    @Override
    public String kind() {
        return "char";
    }

    private int checkId(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, "
                    + codePoints.length + ")");
        }
        return id;
    }

    private static String describe(int codePoint) {
        return String.format("character '%s' (U+%04X)", Character.toString(codePoint), codePoint);
    }
}
