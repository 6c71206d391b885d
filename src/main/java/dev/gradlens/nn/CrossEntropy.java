package dev.gradlens.nn;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.same.Max;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Exp;
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
    private INDArray logProbabilities; // [N, V] buffer
    private INDArray rowStatistic; // [N, 1] buffer: the row max, then log Σ exp
    private INDArray dLogits; // [N, V] buffer

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
        checkTargets(targets, vocab);
        allocate(logits.dataType(), rows, vocab);

        // 1. one-hot targets and the 0/1 column of counted rows
        targetsOneHot.assign(0);
        counted.assign(0);
        count = 0;
        for (int i = 0; i < rows; i++) {
            if (targets[i] != Batch.IGNORE) {
                targetsOneHot.putScalar(i, targets[i], 1.0);
                counted.putScalar(i, 0, 1.0);
                count++;
            }
        }

        // 2. softmax with the row max subtracted: p = exp(z − max) / Σ exp(z − max)
        Nd4j.exec(new Max(logits, rowStatistic, true, 1));
        logProbabilities.assign(logits).subiColumnVector(rowStatistic); // z − max
        Nd4j.exec(new Exp(logProbabilities, probabilities));
        probabilities.sum(rowStatistic, true, 1);
        probabilities.diviColumnVector(rowStatistic);

        // 3. log p = z − max − log Σ exp(z − max)
        Transforms.log(rowStatistic, false);
        logProbabilities.subiColumnVector(rowStatistic);

        // 4. mean negative log-probability of the counted targets
        if (count == 0) {
            return 0.0;
        }
        double total = logProbabilities.muli(targetsOneHot).sumNumber().doubleValue();
        return -total / count;
    }

    /**
     * dz_i = scale · (softmax(z_i) − onehot(y_i)) / M for counted rows, 0 for ignored rows.
     *
     * @return dLogits [N, V], a buffer overwritten by the next backward
     */
    INDArray backward(double scale) {
        if (count == 0) {
            return dLogits.assign(0);
        }
        return dLogits.assign(probabilities).subi(targetsOneHot).muliColumnVector(counted)
                .muli(scale / count);
    }

    private static void checkTargets(int[] targets, int vocab) {
        for (int target : targets) {
            if (target != Batch.IGNORE && (target < 0 || target >= vocab)) {
                throw new IllegalArgumentException("CrossEntropy: target " + target
                        + " is outside [0, " + vocab + ") and is not " + Batch.IGNORE);
            }
        }
    }

    /** (Re)allocates the buffers when the shape changes. */
    private void allocate(DataType type, int rows, int vocab) {
        probabilities = Tensors.reuse(probabilities, type, rows, vocab);
        targetsOneHot = Tensors.reuse(targetsOneHot, type, rows, vocab);
        counted = Tensors.reuse(counted, type, rows, 1);
        logProbabilities = Tensors.reuse(logProbabilities, type, rows, vocab);
        rowStatistic = Tensors.reuse(rowStatistic, type, rows, 1);
        dLogits = Tensors.reuse(dLogits, type, rows, vocab);
    }
}
