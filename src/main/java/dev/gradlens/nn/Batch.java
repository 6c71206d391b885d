package dev.gradlens.nn;

import java.util.List;

/**
 * A batch of token-id sequences of possibly different lengths, with their targets.
 *
 * <p>Sequences are padded internally to the longest one; padded positions are masked as keys in
 * attention and ignored by the loss. A target of {@link #IGNORE} is ignored by the loss too.
 *
 * @param inputs B sequences of token ids, each of length 1..maxSeqLen
 * @param targets B sequences, each as long as its input; {@code IGNORE} marks positions without loss
 */
public record Batch(List<int[]> inputs, List<int[]> targets) {

    /** Target id that the loss skips. */
    public static final int IGNORE = -1;

    public Batch {
        inputs = List.copyOf(inputs);
        targets = List.copyOf(targets);
    }

    /**
     * Next-token batch from whole sequences: inputs are {@code s[0..n-2]}, targets {@code s[1..n-1]}
     * (the nanoGPT convention), so every sequence needs at least two tokens.
     */
    public static Batch nextTokenOf(List<int[]> sequences) {
        List<int[]> inputs = sequences.stream()
                .map(s -> java.util.Arrays.copyOfRange(s, 0, s.length - 1)).toList();
        List<int[]> targets = sequences.stream()
                .map(s -> java.util.Arrays.copyOfRange(s, 1, s.length)).toList();
        return new Batch(inputs, targets);
    }

    public int size() {
        return inputs.size();
    }

    /** Length of the longest input, T. */
    public int maxLength() {
        return inputs.stream().mapToInt(s -> s.length).max().orElse(0);
    }

    /** Number of target positions that count in the loss (not IGNORE). */
    public long targetCount() {
        long n = 0;
        for (int[] row : targets) {
            for (int id : row) {
                if (id != IGNORE) {
                    n++;
                }
            }
        }
        return n;
    }
}
