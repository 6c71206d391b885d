package dev.gradlens.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax over the last dimension with a 0/1 mask of allowed entries.
 *
 * <p>Masked entries get probability exactly zero. A row whose entries are all masked gets zeros
 * (not NaN, not a uniform row) and passes no gradient back.
 */
final class MaskedSoftmax {

    /** Added to masked scores so that each row's max is taken over its allowed entries. */
    private static final double MASKED_SCORE = -1e9;

    private MaskedSoftmax() {
    }

    /**
     * p_j = mask_j · exp(s_j − max) / Σ_k mask_k · exp(s_k − max), where max runs over the allowed
     * entries of the row; subtracting it keeps exp from overflowing.
     *
     * @param scores [..., K]
     * @param mask 1 where allowed, 0 where masked; broadcastable to scores, or null for none
     * @return probabilities shaped like scores, a new array
     */
    static INDArray forward(INDArray scores, INDArray mask) {
        int last = scores.rank() - 1;

        // 1. push masked scores far down, then subtract the row max
        INDArray shifted = mask == null
                ? scores.dup()
                : scores.add(mask.sub(1.0).muli(-MASKED_SCORE));
        shifted.subi(shifted.max(true, last));

        // 2. exponentiate and zero the masked entries exactly
        INDArray exp = Transforms.exp(shifted, false);
        if (mask != null) {
            exp.muli(mask);
        }

        // 3. normalise; an allowed row sums to at least exp(0) = 1, so max(sum, 1) only changes
        //    rows with nothing allowed, which stay all zero
        INDArray sum = exp.sum(true, last);
        return exp.divi(Transforms.max(sum, 1.0, false));
    }

    /**
     * Softmax Jacobian-vector product: ds_j = p_j · (dp_j − Σ_k dp_k · p_k). Masked entries have
     * p = 0 and so receive no gradient.
     *
     * @param probabilities [..., K] the output of {@link #forward}
     * @param dProbabilities [..., K]
     * @return dScores [..., K], a new array
     */
    static INDArray backward(INDArray probabilities, INDArray dProbabilities) {
        int last = probabilities.rank() - 1;
        INDArray dot = dProbabilities.mul(probabilities).sum(true, last);
        return dProbabilities.sub(dot).muli(probabilities);
    }
}
