package dev.gradlens.nn.optim;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.TrainableModel;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A bigram language model for pipeline tests: the logits of the next token are the row of a
 * [V, V] table picked by the current token. Starting from zeros, its first loss is exactly ln V.
 *
 * <p>Forward: logits = X·W with X the one-hot inputs [N, V]; loss = mean cross-entropy.
 * Backward: dlogits = (softmax(logits) − Y)/N, dW = Xᵀ·dlogits (the usual softmax-cross-entropy
 * gradient).
 */
final class BigramModel implements TrainableModel {

    private final int vocabSize;
    private final Parameter table;
    private INDArray oneHotInputs;
    private INDArray dLogits;

    BigramModel(int vocabSize) {
        this.vocabSize = vocabSize;
        this.table = new Parameter("table", Nd4j.zeros(DataType.FLOAT, vocabSize, vocabSize));
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(table);
    }

    @Override
    public double forwardLoss(Batch batch) {
        int n = (int) batch.targetCount();
        float[] inputs = new float[n * vocabSize];
        float[] targets = new float[n * vocabSize];
        fillOneHot(batch, inputs, targets);
        oneHotInputs = Nd4j.create(inputs, new long[] {n, vocabSize}, DataType.FLOAT);
        INDArray oneHotTargets = Nd4j.create(targets, new long[] {n, vocabSize}, DataType.FLOAT);

        INDArray probabilities = Transforms.softmax(oneHotInputs.mmul(table.value()), true);
        double loss = -Transforms.log(probabilities.mul(oneHotTargets).sum(1), false)
                .meanNumber().doubleValue();

        dLogits = probabilities.subi(oneHotTargets).divi(n);
        return loss;
    }

    @Override
    public void backward(double lossScale) {
        table.grad().addi(oneHotInputs.transpose().mmul(dLogits).muli(lossScale));
    }

    private void fillOneHot(Batch batch, float[] inputs, float[] targets) {
        int row = 0;
        for (int b = 0; b < batch.size(); b++) {
            int[] x = batch.inputs().get(b);
            int[] y = batch.targets().get(b);
            for (int t = 0; t < x.length; t++) {
                if (y[t] != Batch.IGNORE) {
                    inputs[row * vocabSize + x[t]] = 1;
                    targets[row * vocabSize + y[t]] = 1;
                    row++;
                }
            }
        }
    }
}
