package dev.gradlens.nn;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Softmax over the last dimension with a 0/1 mask of allowed entries.
 *
 * <p>Masked entries get probability exactly zero. A row whose entries are all masked gets zeros
 * (not NaN, not a uniform row) and passes no gradient back.
 */
final class MaskedSoftmax {

    private MaskedSoftmax() {
    }

    /** {@link #forward(INDArray, INDArray, INDArray)} into a new array. */
    static INDArray forward(INDArray scores, INDArray mask) {
        return forward(scores, mask, scores.ulike());
    }

    /**
     * {@link #forward(INDArray, INDArray, INDArray, INDArray, INDArray)} with the penalty and the
     * row buffer allocated here.
     *
     * @param mask 1 where allowed, 0 where masked; broadcastable to scores, or null for none
     */
    static INDArray forward(INDArray scores, INDArray mask, INDArray out) {
        INDArray penalty = mask == null ? null : AttentionMask.penaltyOf(mask, mask.ulike());
        return forward(scores, mask, penalty, rowBuffer(scores), out);
    }

    /**
     * p_j = mask_j · exp(s_j − max) / Σ_k mask_k · exp(s_k − max), where max runs over the allowed
     * entries of the row; subtracting it keeps exp from overflowing.
     *
     * @param scores [..., K]
     * @param mask 1 where allowed, 0 where masked; broadcastable to scores, or null for none
     * @param penalty 0 where allowed, {@link AttentionMask#MASKED_SCORE} where masked, shaped like
     *     mask; null when mask is
     * @param row [..., 1] buffer for the row max and the row sum
     * @param out [..., K] receives the probabilities; may be scores itself
     * @return out
     */
    static INDArray forward(INDArray scores, INDArray mask, INDArray penalty, INDArray row,
            INDArray out) {
        int last = scores.rank() - 1;

        // 1. push masked scores far down, then subtract the row max
        if (out != scores) {
            out.assign(scores);
        }
        if (mask != null) {
            out.addi(penalty);
        }
        Nd4j.exec(new Max(out, row, true, last));
        out.subi(row);

        // 2. exponentiate and zero the masked entries exactly
        Transforms.exp(out, false);
        if (mask != null) {
            out.muli(mask);
        }

        // 3. normalise; an allowed row sums to at least exp(0) = 1, so max(sum, 1) only changes
        //    rows with nothing allowed, which stay all zero
        out.sum(row, true, last);
        return out.divi(Transforms.max(row, 1.0, false));
    }

    /** {@link #backward(INDArray, INDArray, INDArray)} into a new array. */
    static INDArray backward(INDArray probabilities, INDArray dProbabilities) {
        return backward(probabilities, dProbabilities, probabilities.ulike());
    }

    /** {@link #backward(INDArray, INDArray, INDArray, INDArray)} with a new row buffer. */
    static INDArray backward(INDArray probabilities, INDArray dProbabilities, INDArray out) {
        return backward(probabilities, dProbabilities, rowBuffer(probabilities), out);
    }

    /**
     * Softmax Jacobian-vector product: ds_j = p_j · (dp_j − Σ_k dp_k · p_k). Masked entries have
     * p = 0 and so receive no gradient.
     *
     * @param probabilities [..., K] the output of {@link #forward}
     * @param dProbabilities [..., K]
     * @param row [..., 1] buffer for the row sums
     * @param out [..., K] receives dScores; must not be either input
     * @return out
     */
    static INDArray backward(INDArray probabilities, INDArray dProbabilities, INDArray row,
            INDArray out) {
        int last = probabilities.rank() - 1;

        // 1. Σ_k dp_k · p_k per row
        INDArray dot = dProbabilities.mul(probabilities, out).sum(row, true, last);

        // 2. p ⊙ (dp − dot)
        return out.assign(dProbabilities).subi(dot).muli(probabilities);
    }

    /** A [..., 1] array for the per-row statistics of x [..., K]. */
    static INDArray rowBuffer(INDArray x) {
        return Nd4j.create(x.dataType(), Tensors.withLastDim(x, 1));
    }
}
