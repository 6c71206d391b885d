package dev.gradlens.nn;

import dev.gradlens.nn.TransformerConfig.NormPlacement;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One Transformer block: attention and feed-forward, each inside a residual connection.
 *
 * <p>{@code PRE} (GPT-2): x = x + attn(ln1(x)); x = x + ffn(ln2(x)).
 * {@code POST} (Vaswani et al. 2017): x = ln1(x + attn(x)); x = ln2(x + ffn(x)).
 */
final class Block {

    private final NormPlacement norm;
    private final LayerNorm ln1;
    private final MultiHeadAttention attention;
    private final LayerNorm ln2;
    private final FeedForward ffn;

    // buffers, reused while the shape holds
    private INDArray sum1; // [B, T, C] first residual sum
    private INDArray sum2; // [B, T, C] second residual sum
    private INDArray dMiddle; // [B, T, C] gradient between the two halves
    private INDArray dInput; // [B, T, C]
    private INDArray output; // [B, T, C] the latest forward's result (one of the buffers above)

    Block(String name, TransformerConfig config, Initializer init) {
        this.norm = config.norm();
        this.ln1 = new LayerNorm(name + ".ln1", config.dModel(), init);
        this.attention = new MultiHeadAttention(name + ".attention", config.dModel(),
                config.nHeads(), init);
        this.ln2 = new LayerNorm(name + ".ln2", config.dModel(), init);
        this.ffn = new FeedForward(name + ".ffn", config.dModel(), config.dFF(),
                config.activation(), init);
    }

    /** ln1, attention (q, k, v, o), ln2, ffn: the public parameter order. */
    List<Parameter> parameters() {
        List<Parameter> all = new ArrayList<>(ln1.parameters());
        all.addAll(attention.parameters());
        all.addAll(ln2.parameters());
        all.addAll(ffn.parameters());
        return all;
    }

    MultiHeadAttention attention() {
        return attention;
    }

    /**
     * @param x [B, T, C]
     * @param mask the allowed attention pairs [B, 1, T, T], or null
     * @return [B, T, C]; a buffer overwritten on the next forward
     */
    INDArray forward(INDArray x, AttentionMask mask) {
        sum1 = Tensors.reuse(sum1, x.dataType(), x.shape());
        sum2 = Tensors.reuse(sum2, x.dataType(), x.shape());
        if (norm == NormPlacement.PRE) {

            // 1. h = x + attn(ln1(x))
            INDArray h = x.add(attention.forward(ln1.forward(x), mask), sum1);

            // 2. y = h + ffn(ln2(h))
            output = h.add(ffn.forward(ln2.forward(h)), sum2);
            return output;
        }

        // 1. h = ln1(x + attn(x))
        INDArray h = ln1.forward(x.add(attention.forward(x, mask), sum1));

        // 2. y = ln2(h + ffn(h))
        output = ln2.forward(h.add(ffn.forward(h), sum2));
        return output;
    }

    /** Output [B, T, C] of the latest forward (a live buffer, not a copy). */
    INDArray output() {
        return output;
    }

    /**
     * Mirrors {@link #forward} in reverse; each residual adds the gradient of its skip path.
     *
     * @param dOut [B, T, C]
     * @return dX [B, T, C]; a buffer overwritten on the next backward
     */
    INDArray backward(INDArray dOut) {
        dMiddle = Tensors.reuse(dMiddle, dOut.dataType(), dOut.shape());
        dInput = Tensors.reuse(dInput, dOut.dataType(), dOut.shape());
        if (norm == NormPlacement.PRE) {

            // 1. y = h + ffn(ln2(h)): dh = dy + ln2'(ffn'(dy))
            INDArray dH = dOut.add(ln2.backward(ffn.backward(dOut)), dMiddle);

            // 2. h = x + attn(ln1(x)): dx = dh + ln1'(attn'(dh))
            return dH.add(ln1.backward(attention.backward(dH)), dInput);
        }

        // 1. y = ln2(h + ffn(h)): du = ln2'(dy), dh = du + ffn'(du)
        INDArray dSum2 = ln2.backward(dOut);
        INDArray dH = dSum2.add(ffn.backward(dSum2), dMiddle);

        // 2. h = ln1(x + attn(x)): dv = ln1'(dh), dx = dv + attn'(dv)
        INDArray dSum1 = ln1.backward(dH);
        return dSum1.add(attention.backward(dSum1), dInput);
    }
}
