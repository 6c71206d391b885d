package dev.gradlens.nn.optim;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.TrainableModel;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A stand-in model with a closed-form gradient: each counted position (input id x, target id y)
 * predicts w·x + b and costs ½·(w·x + b − y)². The loss is the mean over counted positions, so
 * dL/dw = mean(r·x) and dL/db = mean(r) with r = w·x + b − y.
 */
final class LeastSquaresModel implements TrainableModel {

    private final Parameter weight;
    private final Parameter bias;
    private final List<double[]> residualsAndInputs = new ArrayList<>();
    private boolean nanLoss;
    private boolean infiniteGradient;

    LeastSquaresModel(double w, double b) {
        weight = new Parameter("weight", Nd4j.scalar(DataType.DOUBLE, w).reshape(1));
        bias = new Parameter("bias", Nd4j.scalar(DataType.DOUBLE, b).reshape(1));
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    double w() {
        return weight.value().getDouble(0);
    }

    double b() {
        return bias.value().getDouble(0);
    }

    /** Makes the next forward passes return NaN (true) or a finite loss again (false). */
    void poisonLoss(boolean poisoned) {
        nanLoss = poisoned;
    }

    /** Makes the next backward passes add +∞ to the weight gradient. */
    void poisonGradient(boolean poisoned) {
        infiniteGradient = poisoned;
    }

    @Override
    public double forwardLoss(Batch batch) {
        residualsAndInputs.clear();
        double sum = 0;
        for (int row = 0; row < batch.size(); row++) {
            int[] x = batch.inputs().get(row);
            int[] y = batch.targets().get(row);
            for (int t = 0; t < x.length; t++) {
                if (y[t] != Batch.IGNORE) {
                    double r = w() * x[t] + b() - y[t];
                    residualsAndInputs.add(new double[] {r, x[t]});
                    sum += 0.5 * r * r;
                }
            }
        }
        return nanLoss ? Double.NaN : sum / residualsAndInputs.size();
    }

    @Override
    public void backward(double lossScale) {
        double dw = 0;
        double db = 0;
        for (double[] rx : residualsAndInputs) {
            dw += rx[0] * rx[1];
            db += rx[0];
        }
        int n = residualsAndInputs.size();
        weight.grad().addi(lossScale * dw / n);
        bias.grad().addi(lossScale * db / n);
        if (infiniteGradient) {
            weight.grad().addi(Double.POSITIVE_INFINITY);
        }
    }
}
