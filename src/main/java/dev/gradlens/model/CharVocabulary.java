package dev.gradlens.model;

import dev.gradlens.text.Tokenizer;
import java.util.HashMap;
import java.util.Map;

/**
 * Character-level tokenizer over a fixed alphabet: the id of a character (Unicode code point) is
 * its index in the alphabet, which lists the distinct characters of a corpus in code-point order.
 */
final class CharVocabulary implements Tokenizer {

    private final int[] codePoints;
    private final Map<Integer, Integer> ids = new HashMap<>();

    CharVocabulary(String alphabet) {
        this.codePoints = alphabet.codePoints().toArray();
        for (int id = 0; id < codePoints.length; id++) {
            ids.put(codePoints[id], id);
        }
    }

    /** The distinct code points of {@code corpus}, sorted, as a string. */
    static String alphabetOf(String corpus) {
        int[] distinct = corpus.codePoints().distinct().sorted().toArray();
        return new String(distinct, 0, distinct.length);
    }

    @Override
    public int vocabSize() {
        return codePoints.length;
    }

    @Override
    public int[] encode(String text) {
        int[] points = text.codePoints().toArray();
        int[] out = new int[points.length];
        for (int i = 0; i < points.length; i++) {
            Integer id = ids.get(points[i]);
            if (id == null) {
                throw new IllegalArgumentException(String.format(
                        "character '%s' (U+%04X) at position %d is not in the alphabet",
                        Character.toString(points[i]), points[i], i));
            }
            out[i] = id;
        }
        return out;
    }

    @Override
    public String decode(int[] tokenIds) {
        StringBuilder out = new StringBuilder();
        for (int id : tokenIds) {
            out.append(tokenLabel(id));
        }
        return out.toString();
    }

    @Override
    public String tokenLabel(int id) {
        if (id < 0 || id >= codePoints.length) {
            throw new IllegalArgumentException("token id " + id + " is outside [0, "
                    + codePoints.length + ")");
        }
        return Character.toString(codePoints[id]);
    }

    @Override
    public String kind() {
        return TokenizerSpec.CHAR;
    }
}
