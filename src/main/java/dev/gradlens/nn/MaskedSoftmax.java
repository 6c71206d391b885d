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

    /** {@link #forward(INDArray, INDArray, INDArray)} into a new array. */
    static INDArray forward(INDArray scores, INDArray mask) {
        return forward(scores, mask, scores.ulike());
    }

    /**
     * p_j = mask_j · exp(s_j − max) / Σ_k mask_k · exp(s_k − max), where max runs over the allowed
     * entries of the row; subtracting it keeps exp from overflowing.
     *
     * @param scores [..., K]
     * @param mask 1 where allowed, 0 where masked; broadcastable to scores, or null for none
     * @param out [..., K] receives the probabilities; may be scores itself
     * @return out
     */
    static INDArray forward(INDArray scores, INDArray mask, INDArray out) {
        int last = scores.rank() - 1;

        // 1. push masked scores far down, then subtract the row max
        if (out != scores) {
            out.assign(scores);
        }
        if (mask != null) {
            out.addi(mask.sub(1.0).muli(-MASKED_SCORE));
        }
        out.subi(out.max(true, last));

        // 2. exponentiate and zero the masked entries exactly
        Transforms.exp(out, false);
        if (mask != null) {
            out.muli(mask);
        }

        // 3. normalise; an allowed row sums to at least exp(0) = 1, so max(sum, 1) only changes
        //    rows with nothing allowed, which stay all zero
        return out.divi(Transforms.max(out.sum(true, last), 1.0, false));
    }

    /** {@link #backward(INDArray, INDArray, INDArray)} into a new array. */
    static INDArray backward(INDArray probabilities, INDArray dProbabilities) {
        return backward(probabilities, dProbabilities, probabilities.ulike());
    }

    /**
     * Softmax Jacobian-vector product: ds_j = p_j · (dp_j − Σ_k dp_k · p_k). Masked entries have
     * p = 0 and so receive no gradient.
     *
     * @param probabilities [..., K] the output of {@link #forward}
     * @param dProbabilities [..., K]
     * @param out [..., K] receives dScores; must not be either input
     * @return out
     */
    static INDArray backward(INDArray probabilities, INDArray dProbabilities, INDArray out) {
        int last = probabilities.rank() - 1;

        // 1. Σ_k dp_k · p_k per row
        INDArray dot = dProbabilities.mul(probabilities, out).sum(true, last);

        // 2. p ⊙ (dp − dot)
        return out.assign(dProbabilities).subi(dot).muli(probabilities);
    }
}
