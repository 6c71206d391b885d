package dev.gradlens.checkpoint;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.TrainableModel;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A bigram model with a bias, small stand-in for the Transformer in resume tests: the logits
 * of the next token are row x of a [V, V] table plus a [V] bias. Loss: mean cross-entropy.
 * Gradients: dlogits = (softmax − onehot(y))/N, dTable = Xᵀ·dlogits, dBias = Σ_rows dlogits.
 */
final class TableModel implements TrainableModel {

    private final int vocabSize;
    private final Parameter table;
    private final Parameter bias;
    private INDArray inputs;
    private INDArray dLogits;

    /** Weights normal(0, 1) from a seeded java.util.Random, so the same seed gives the same. */
    TableModel(int vocabSize, long seed) {
        this.vocabSize = vocabSize;
        Random random = new Random(seed);
        float[] values = new float[vocabSize * vocabSize];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        this.table = new Parameter("table.weight",
                Nd4j.create(values, new long[] {vocabSize, vocabSize}, 'c'));
        this.bias = new Parameter("table.bias", Nd4j.zeros(DataType.FLOAT, vocabSize));
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(table, bias);
    }

    @Override
    public double forwardLoss(Batch batch) {
        int n = (int) batch.targetCount();
        float[] x = new float[n * vocabSize];
        float[] y = new float[n * vocabSize];
        int row = 0;
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t < batch.inputs().get(b).length; t++) {
                x[row * vocabSize + batch.inputs().get(b)[t]] = 1;
                y[row * vocabSize + batch.targets().get(b)[t]] = 1;
                row++;
            }
        }
        inputs = Nd4j.create(x, new long[] {n, vocabSize}, 'c');
        INDArray targets = Nd4j.create(y, new long[] {n, vocabSize}, 'c');

        INDArray logits = inputs.mmul(table.value()).addiRowVector(bias.value());
        INDArray probabilities = Transforms.softmax(logits, true);
        double loss = -Transforms.log(probabilities.mul(targets).sum(1), false)
                .meanNumber().doubleValue();
        dLogits = probabilities.subi(targets).divi(n);
        return loss;
    }

    @Override
    public void backward(double lossScale) {
        table.grad().addi(inputs.transpose().mmul(dLogits).muli(lossScale));
        bias.grad().addi(dLogits.sum(0).muli(lossScale));
    }
}
