package dev.gradlens.bench;

import dev.gradlens.nn.Batch;
import dev.gradlens.nn.Parameter;
import dev.gradlens.nn.Transformer;
import dev.gradlens.nn.TransformerConfig;
import dev.gradlens.nn.TransformerConfig.Activation;
import dev.gradlens.nn.TransformerConfig.NormPlacement;
import dev.gradlens.nn.optim.AdamW;
import dev.gradlens.nn.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * The engine's Transformer as a SameDiff graph, built from a copy of a {@link Transformer}'s
 * weights, trained with AdamW in one of two ways:
 *
 * <ul>
 *   <li>{@link Mode#FIT}: SameDiff's own training loop, {@code sd.fit(MultiDataSet)} with
 *       {@code TrainingConfig} = Adam(lr, β1, β2, ε) + {@code WeightDecay(λ, applyLR = true)}, which
 *       is decoupled weight decay W −= η·λ·W applied after the updater, i.e. AdamW (ND4J 1.0.0-M2.1
 *       has no AdamW class);</li>
 *   <li>{@link Mode#GRADIENTS}: {@code sd.calculateGradients} for forward and backward, then the
 *       engine's own {@link AdamW}, which packs copies of SameDiff's weight arrays into its flat
 *       buffer; after each update they are copied back into the graph's arrays (one assign per
 *       weight, counted in this mode's time), so the update costs what the engine's does plus that
 *       copy, and otherwise only the autodiff differs.</li>
 * </ul>
 *
 * <p>Graph written from the formulas, as in the test-scope reference model: LayerNorm, softmax, GELU
 * and cross-entropy from elementary ops; embedding lookups as one-hot matrix products (the gradient
 * of SameDiff's gather fails to build in M2.1). Every sequence is full length T and every target
 * counts, so the causal mask is a constant; ids and targets are placeholders, one-hot [B·T, V].
 */
final class SameDiffModel {

    enum Mode { FIT, GRADIENTS }

    private final SameDiff sd = SameDiff.create();
    private final TransformerConfig config;
    private final Mode mode;
    private final int batchSize;
    private final int length;
    private final Map<String, SDVariable> weights = new LinkedHashMap<>();
    private final SDVariable loss;
    private final List<Parameter> parameters = new ArrayList<>();
    private final AdamW adamW;
    private final double learningRate;
    private long steps;

    SameDiffModel(Transformer model, int batchSize, int length, OptimizerConfig optimizer,
            Mode mode) {
        this.config = model.config();
        this.mode = mode;
        this.batchSize = batchSize;
        this.length = length;
        this.learningRate = optimizer.learningRate();
        for (Parameter p : model.parameters()) {
            SDVariable variable = sd.var(p.name().replace('.', '_'), p.value().dup());
            weights.put(p.name(), variable);
        }
        int rows = batchSize * length;
        SDVariable ids = sd.placeHolder("ids", config.dataType(), rows, config.vocabSize());
        SDVariable targets = sd.placeHolder("targets", config.dataType(), rows,
                config.vocabSize());
        this.loss = crossEntropy(logits(ids), targets, rows);
        sd.setLossVariables(loss);
        Quiet.run(sd::createGradFunction); // it prints a line per differentiated op

        if (mode == Mode.FIT) {
            sd.setTrainingConfig(TrainingConfig.builder()
                    .updater(new Adam(optimizer.learningRate(), optimizer.beta1(),
                            optimizer.beta2(), optimizer.epsilon()))
                    .addRegularization(new WeightDecay(optimizer.weightDecay(), true))
                    .dataSetFeatureMapping("ids")
                    .dataSetLabelMapping("targets")
                    .build());
            adamW = null;
        } else {
            for (Map.Entry<String, SDVariable> e : weights.entrySet()) {
                parameters.add(new Parameter(e.getKey(), e.getValue().getArr()));
            }
            // AdamW packs copies of the weights into its flat buffer; step() copies them back
            adamW = new AdamW(parameters, optimizer.beta1(), optimizer.beta2(),
                    optimizer.epsilon(), optimizer.weightDecay());
        }
    }

    Mode mode() {
        return mode;
    }

    /**
     * One training step on batch (every sequence of length T).
     *
     * @return the loss before the update, or NaN in FIT mode (SameDiff's fit returns no loss)
     */
    double step(Batch batch) {
        INDArray ids = oneHot(batch.inputs());
        INDArray targets = oneHot(batch.targets());
        if (mode == Mode.FIT) {
            sd.fit(new MultiDataSet(ids, targets));
            return Double.NaN; // fit records no loss without a listener
        }
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("ids", ids);
        feed.put("targets", targets);
        List<String> names = new ArrayList<>();
        weights.values().forEach(v -> names.add(v.name()));
        OutAndGrad result = sd.calculateGradientsAndOutputs(feed, List.of(loss.name()), names);
        for (Parameter p : parameters) {
            p.grad().assign(result.getGradients().get(weights.get(p.name()).name()));
        }
        steps++;
        adamW.step(learningRate, steps, 1.0);
        for (Parameter p : parameters) {
            // the graph reads its own arrays: given views of the flat buffer, its losses went wrong
            weights.get(p.name()).getArr().assign(p.value());
        }
        return result.getOutputs().get(loss.name()).getDouble(0);
    }

    /** The loss of batch with the current weights, forward only. */
    double loss(Batch batch) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put("ids", oneHot(batch.inputs()));
        feed.put("targets", oneHot(batch.targets()));
        return sd.output(feed, loss.name()).get(loss.name()).getDouble(0);
    }

    /** Current value of a weight by public name. */
    INDArray weight(String name) {
        return weights.get(name).getArr();
    }

    private INDArray oneHot(List<int[]> sequences) {
        int vocab = config.vocabSize();
        float[] values = new float[batchSize * length * vocab];
        int row = 0;
        for (int[] sequence : sequences) {
            for (int id : sequence) {
                values[row * vocab + id] = 1;
                row++;
            }
        }
        return Nd4j.create(values, new long[] {batchSize * (long) length, vocab}, 'c')
                .castTo(config.dataType());
    }

    private SDVariable logits(SDVariable ids) {
        int width = config.dModel();
        SDVariable x = sd.mmul(ids, weights.get("token_embedding.weight"))
                .reshape(batchSize, length, width);
        int[] positions = new int[length];
        for (int t = 0; t < length; t++) {
            positions[t] = t;
        }
        x = x.add(sd.mmul(constantOneHot(positions, config.maxSeqLen()),
                weights.get("position_embedding.weight")));
        INDArray allowed = Nd4j.tri(length, length, 0).castTo(config.dataType())
                .reshape(1, 1, length, length);
        for (int i = 0; i < config.nLayers(); i++) {
            x = block("blocks." + i + ".", x, allowed);
        }
        if (config.norm() == NormPlacement.PRE) {
            x = layerNorm("final_ln", x);
        }
        return linear("lm_head", x);
    }

    private SDVariable constantOneHot(int[] ids, int width) {
        double[] values = new double[ids.length * width];
        for (int i = 0; i < ids.length; i++) {
            values[i * width + ids[i]] = 1;
        }
        return sd.constant(Nd4j.create(values, new long[] {ids.length, width},
                config.dataType()));
    }

    private SDVariable block(String prefix, SDVariable x, INDArray allowed) {
        if (config.norm() == NormPlacement.PRE) {
            SDVariable h = x.add(attention(prefix + "attention", layerNorm(prefix + "ln1", x),
                    allowed));
            return h.add(feedForward(prefix + "ffn", layerNorm(prefix + "ln2", h)));
        }
        SDVariable h = layerNorm(prefix + "ln1", x.add(attention(prefix + "attention", x,
                allowed)));
        return layerNorm(prefix + "ln2", h.add(feedForward(prefix + "ffn", h)));
    }

    /** [B, T, in] → [B, T, out]: x·W + b. */
    private SDVariable linear(String name, SDVariable x) {
        SDVariable w = weights.get(name + ".weight");
        long in = w.getShape()[0];
        long out = w.getShape()[1];
        SDVariable rows = x.reshape(batchSize * (long) length, in);
        return sd.mmul(rows, w).add(weights.get(name + ".bias")).reshape(batchSize, length, out);
    }

    /** (x − mean) / sqrt(var + 1e-5) · w + b over the last dimension, biased variance. */
    private SDVariable layerNorm(String name, SDVariable x) {
        SDVariable centred = x.sub(x.mean(true, 2));
        SDVariable variance = centred.mul(centred).mean(true, 2);
        SDVariable normalised = centred.div(sd.math().sqrt(variance.add(1e-5)));
        return normalised.mul(weights.get(name + ".weight")).add(weights.get(name + ".bias"));
    }

    /** Causal multi-head self-attention, heads batched as [B, H, T, D]. */
    private SDVariable attention(String name, SDVariable x, INDArray allowed) {
        int heads = config.nHeads();
        int headSize = config.headSize();
        SDVariable q = splitHeads(linear(name + ".q", x), heads, headSize);
        SDVariable k = splitHeads(linear(name + ".k", x), heads, headSize);
        SDVariable v = splitHeads(linear(name + ".v", x), heads, headSize);
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(headSize));

        SDVariable mask = sd.constant(allowed);
        SDVariable shifted = scores.add(mask.rsub(1.0).mul(-1e9));
        shifted = shifted.sub(shifted.max(true, 3));
        SDVariable exp = sd.math().exp(shifted).mul(mask);
        SDVariable p = exp.div(exp.sum(true, 3));

        SDVariable context = sd.mmul(p, v).permute(0, 2, 1, 3)
                .reshape(batchSize, length, config.dModel());
        return linear(name + ".o", context);
    }

    private SDVariable splitHeads(SDVariable x, int heads, int headSize) {
        return x.reshape(batchSize, length, heads, headSize).permute(0, 2, 1, 3);
    }

    private SDVariable feedForward(String name, SDVariable x) {
        SDVariable h = linear(name + ".fc1", x);
        SDVariable a;
        if (config.activation() == Activation.GELU) {
            SDVariable cubic = h.mul(h).mul(h).mul(0.044715);
            SDVariable tanh = sd.math().tanh(h.add(cubic).mul(Math.sqrt(2 / Math.PI)));
            a = h.mul(tanh.add(1.0)).mul(0.5);
        } else {
            a = sd.nn().relu(h, 0.0);
        }
        return linear(name + ".fc2", a);
    }

    /** Mean over all B·T targets of logsumexp(z) − z[target]; targets one-hot [B·T, V]. */
    private SDVariable crossEntropy(SDVariable logits, SDVariable targets, int rows) {
        int vocab = config.vocabSize();
        SDVariable z = logits.reshape(rows, vocab);
        SDVariable max = z.max(true, 1);
        SDVariable logSumExp = sd.math().log(sd.math().exp(z.sub(max)).sum(true, 1)).add(max);
        SDVariable nll = logSumExp.mul(targets).sub(z.mul(targets));
        return nll.sum().div(rows);
    }
}
