package dev.gradlens.nn;

import dev.gradlens.nn.TransformerConfig.Activation;
import dev.gradlens.nn.TransformerConfig.NormPlacement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The same Transformer and loss built as a SameDiff graph from a {@link Transformer}'s weights,
 * so that SameDiff's automatic differentiation gives an independent gradient to compare with.
 *
 * <p>Written from the formulas, not from the hand-written layers: the softmaxes, LayerNorm, GELU
 * and cross-entropy are composed from elementary ops. Embedding lookups are one-hot matrix
 * products, because the gradient of SameDiff's gather fails to build in 1.0.0-M2.1 ("Unable to
 * replace samediff namespace"). Shapes as in
 * the engine: B batch, T padded length, C width, H heads, D head size, V vocabulary.
 */
final class SameDiffTransformer {

    private final SameDiff sd = SameDiff.create();
    private final TransformerConfig config;
    private final Map<String, SDVariable> weights = new LinkedHashMap<>();
    private final int batchSize;
    private final int length;
    private final SDVariable loss;

    /** Builds the graph of model's loss on batch, with copies of the model's current weights. */
    SameDiffTransformer(Transformer model, Batch batch) {
        this.config = model.config();
        this.batchSize = batch.size();
        this.length = batch.maxLength();
        for (Parameter p : model.parameters()) {
            weights.put(p.name(), sd.var(p.name().replace('.', '_'), p.value().dup()));
        }
        int[] lengths = batch.inputs().stream().mapToInt(s -> s.length).toArray();
        int[] ids = Validation.pad(batch.inputs(), length, 0);
        int[] targets = Validation.pad(batch.targets(), length, Batch.IGNORE);
        this.loss = crossEntropy(logits(ids, lengths), targets);
        sd.setLossVariables(loss);
    }

    /** The loss, evaluated by SameDiff. */
    double loss() {
        return sd.outputSingle(new HashMap<>(), loss.name()).getDouble(0);
    }

    /** Gradients of the loss by public parameter name, from SameDiff's backward pass. */
    Map<String, INDArray> gradients() {
        Map<String, String> byVariable = new LinkedHashMap<>();
        weights.forEach((name, variable) -> byVariable.put(variable.name(), name));
        Map<String, INDArray> raw = sd.calculateGradients(new HashMap<>(), byVariable.keySet());
        Map<String, INDArray> result = new LinkedHashMap<>();
        byVariable.forEach((variable, name) -> result.put(name, raw.get(variable)));
        return result;
    }

    private SDVariable logits(int[] ids, int[] lengths) {
        int width = config.dModel();
        SDVariable x = sd.mmul(oneHot(ids, config.vocabSize()),
                weights.get("token_embedding.weight")).reshape(batchSize, length, width);
        int[] positions = new int[length];
        for (int t = 0; t < length; t++) {
            positions[t] = t;
        }
        x = x.add(sd.mmul(oneHot(positions, config.maxSeqLen()),
                weights.get("position_embedding.weight")));
        INDArray allowed = ReferenceMask.allowed(lengths, length, config.causal());
        for (int i = 0; i < config.nLayers(); i++) {
            x = block("blocks." + i + ".", x, allowed);
        }
        if (config.norm() == NormPlacement.PRE) {
            x = layerNorm("final_ln", x);
        }
        return linear("lm_head", x);
    }

    /** Constant [ids.length, width] with a one in column ids[i] of row i. */
    private SDVariable oneHot(int[] ids, int width) {
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

    /** Masked multi-head self-attention; allowed is the 0/1 [B, 1, T, T] mask. */
    private SDVariable attention(String name, SDVariable x, INDArray allowed) {
        int heads = config.nHeads();
        int headSize = config.headSize();
        SDVariable q = splitHeads(linear(name + ".q", x), heads, headSize);
        SDVariable k = splitHeads(linear(name + ".k", x), heads, headSize);
        SDVariable v = splitHeads(linear(name + ".v", x), heads, headSize);
        SDVariable scores = sd.mmul(q, k, false, true, false).mul(1.0 / Math.sqrt(headSize));

        // softmax over allowed keys; a row with none allowed divides 0 by 1
        SDVariable mask = sd.constant(allowed.castTo(config.dataType()));
        SDVariable shifted = scores.add(mask.rsub(1.0).mul(-1e9));
        shifted = shifted.sub(shifted.max(true, 3));
        SDVariable exp = sd.math().exp(shifted).mul(mask);
        INDArray empty = allowed.sum(true, 3).eq(0).castTo(config.dataType());
        SDVariable p = exp.div(exp.sum(true, 3).add(sd.constant(empty)));

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

    /** Mean over counted targets of logsumexp(z) − z[target]. */
    private SDVariable crossEntropy(SDVariable logits, int[] targets) {
        int vocab = config.vocabSize();
        double[] oneHot = new double[targets.length * vocab];
        double count = 0;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] != Batch.IGNORE) {
                oneHot[i * vocab + targets[i]] = 1;
                count++;
            }
        }
        DataType type = config.dataType();
        SDVariable z = logits.reshape(targets.length, vocab);
        SDVariable max = z.max(true, 1);
        SDVariable logSumExp = sd.math().log(sd.math().exp(z.sub(max)).sum(true, 1)).add(max);
        SDVariable target = sd.constant(Nd4j.create(oneHot, new long[] {targets.length, vocab},
                type));
        SDVariable nll = logSumExp.mul(target).sub(z.mul(target));
        return nll.sum().div(count);
    }
}
