package dev.gradlens.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Mean cross-entropy of logits against target ids, over the targets that are not
 * {@link Batch#IGNORE}: loss = (1/M) Σ_i [logsumexp(z_i) − z_i[y_i]], M the counted targets.
 *
 * <p>When no target counts (M = 0) the loss is 0 and its gradient is zero, so such a micro-batch
 * adds nothing to an accumulated step.
 */
final class CrossEntropy {

    private INDArray probabilities; // [N, V] softmax of the latest logits
    private INDArray targetsOneHot; // [N, V] 1 at each counted target, ignored rows all zero
    private INDArray counted; // [N, 1] 1 where the target counts, else 0
    private long count; // M

    /**
     * @param logits [N, V]
     * @param targets [N] ids in [0, V) or {@link Batch#IGNORE}
     * @return the mean loss over the counted targets (0 when none counts)
     */
    double forward(INDArray logits, int[] targets) {
        if (logits.rank() != 2 || logits.size(0) != targets.length) {
            throw new IllegalArgumentException("CrossEntropy: expected logits [" + targets.length
                    + ", V], got " + Arrays.toString(logits.shape()));
        }
        int rows = targets.length;
        int vocab = (int) logits.size(1);

        // 1. one-hot targets and the 0/1 column of counted rows
        double[] oneHot = new double[rows * vocab];
        double[] isCounted = new double[rows];
        count = 0;
        for (int i = 0; i < rows; i++) {
            if (targets[i] == Batch.IGNORE) {
                continue;
            }
            if (targets[i] < 0 || targets[i] >= vocab) {
                throw new IllegalArgumentException("CrossEntropy: target " + targets[i]
                        + " is outside [0, " + vocab + ") and is not " + Batch.IGNORE);
            }
            oneHot[i * vocab + targets[i]] = 1;
            isCounted[i] = 1;
            count++;
        }
        targetsOneHot = Nd4j.create(oneHot, new long[] {rows, vocab}, logits.dataType());
        counted = Nd4j.create(isCounted, new long[] {rows, 1}, logits.dataType());

        // 2. log-softmax with the row max subtracted: log p = z − max − log Σ exp(z − max)
        INDArray shifted = logits.subColumnVector(logits.max(true, 1));
        INDArray logSumExp = Transforms.log(Transforms.exp(shifted, true).sum(true, 1), false);
        INDArray logProbabilities = shifted.subiColumnVector(logSumExp);
        probabilities = Transforms.exp(logProbabilities, true);

        // 3. mean negative log-probability of the counted targets
        if (count == 0) {
            return 0.0;
        }
        double total = logProbabilities.muli(targetsOneHot).sumNumber().doubleValue();
        return -total / count;
    }

    /**
     * dz_i = scale · (softmax(z_i) − onehot(y_i)) / M for counted rows, 0 for ignored rows.
     *
     * @return dLogits [N, V], a new array
     */
    INDArray backward(double scale) {
        if (count == 0) {
            return probabilities.mul(0.0);
        }
        return probabilities.sub(targetsOneHot).muliColumnVector(counted).muli(scale / count);
    }
}
