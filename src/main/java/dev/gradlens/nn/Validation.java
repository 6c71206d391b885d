package dev.gradlens.nn;

import java.util.Arrays;
import java.util.List;

/** Checks of batches against a model configuration, and padding of ragged rows. */
final class Validation {

    private Validation() {
    }

    /**
     * @throws IllegalArgumentException naming the first sequence, position or id that is wrong
     */
    static void check(Batch batch, TransformerConfig config) {
        if (batch == null) {
            throw new IllegalArgumentException("batch is null");
        }
        checkInputs(batch.inputs(), config);
        List<int[]> inputs = batch.inputs();
        List<int[]> targets = batch.targets();
        if (targets.size() != inputs.size()) {
            throw new IllegalArgumentException("batch has " + inputs.size()
                    + " input sequences but " + targets.size() + " target sequences");
        }
        for (int i = 0; i < targets.size(); i++) {
            int[] row = targets.get(i);
            if (row == null || row.length != inputs.get(i).length) {
                throw new IllegalArgumentException("targets[" + i + "] has length "
                        + (row == null ? "null" : row.length) + " but inputs[" + i
                        + "] has length " + inputs.get(i).length);
            }
            for (int t = 0; t < row.length; t++) {
                if (row[t] != Batch.IGNORE && (row[t] < 0 || row[t] >= config.vocabSize())) {
                    throw new IllegalArgumentException("targets[" + i + "][" + t + "] = " + row[t]
                            + " is neither a token id in [0, " + config.vocabSize() + ") nor "
                            + Batch.IGNORE + " (ignored)");
                }
            }
        }
    }

    /**
     * @throws IllegalArgumentException when there is no sequence, a sequence is empty or longer
     *     than maxSeqLen, or an id is outside [0, vocabSize)
     */
    static void checkInputs(List<int[]> inputs, TransformerConfig config) {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("batch is empty: expected at least one sequence");
        }
        for (int i = 0; i < inputs.size(); i++) {
            int[] row = inputs.get(i);
            if (row == null || row.length < 1 || row.length > config.maxSeqLen()) {
                throw new IllegalArgumentException("inputs[" + i + "] has length "
                        + (row == null ? "null" : row.length) + "; expected 1.."
                        + config.maxSeqLen() + " (maxSeqLen)");
            }
            for (int t = 0; t < row.length; t++) {
                if (row[t] < 0 || row[t] >= config.vocabSize()) {
                    throw new IllegalArgumentException("inputs[" + i + "][" + t + "] = " + row[t]
                            + " is not a token id in [0, " + config.vocabSize() + ")");
                }
            }
        }
    }

    /** Rows laid out row-major in [rows.size(), length], each padded at its end with fill. */
    static int[] pad(List<int[]> rows, int length, int fill) {
        int[] padded = new int[rows.size() * length];
        Arrays.fill(padded, fill);
        for (int b = 0; b < rows.size(); b++) {
            System.arraycopy(rows.get(b), 0, padded, b * length, rows.get(b).length);
        }
        return padded;
    }
}
