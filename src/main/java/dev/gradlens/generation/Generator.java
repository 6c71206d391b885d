package dev.gradlens.generation;

import dev.gradlens.nn.Transformer;
import dev.gradlens.text.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Samples text from a language model, one token at a time: run the model on the context (the
 * last maxSeqLen tokens of prompt plus generated text), take the logits of the last position,
 * divide by the temperature, keep the top k, softmax in double precision and draw.
 *
 * <p>Randomness comes from a {@link SplittableRandom} seeded per call, never from ND4J's global
 * generator, so the same seed gives the same tokens however many other calls run. Each token costs
 * one full forward pass over the context (there is no key/value cache). The model is not
 * thread-safe: do not generate while the same model object trains.
 */
public final class Generator {

    private final LogitsModel model;
    private final int maxSeqLen;
    private final int vocabSize;

    /** A generator for a Transformer, with its maxSeqLen and vocabSize. */
    public Generator(Transformer model) {
        this(model::logits, model.config().maxSeqLen(), model.config().vocabSize());
    }

    /**
     * @param maxSeqLen longest context the model takes
     * @param vocabSize V, the number of ids (and the last dimension of the logits)
     * @throws IllegalArgumentException when maxSeqLen or vocabSize is below 1
     */
    public Generator(LogitsModel model, int maxSeqLen, int vocabSize) {
        if (maxSeqLen < 1) {
            throw new IllegalArgumentException("maxSeqLen must be positive, was " + maxSeqLen);
        }
        if (vocabSize < 1) {
            throw new IllegalArgumentException("vocabSize must be positive, was " + vocabSize);
        }
        this.model = model;
        this.maxSeqLen = maxSeqLen;
        this.vocabSize = vocabSize;
    }

    /**
     * Generates tokens after a prompt.
     *
     * @param prompt one or more token ids in [0, vocabSize); only its last maxSeqLen ids are seen
     * @return the new tokens only, {@code options.maxNewTokens()} of them
     * @throws IllegalArgumentException when the prompt is empty or holds an id outside
     *     [0, vocabSize)
     * @throws IllegalStateException when the model returns logits of the wrong shape
     * @throws NonFiniteLogitsException when a logit is NaN or infinite
     */
    public int[] generate(int[] prompt, SamplingOptions options) {
        checkPrompt(prompt);
        int[] tokens = Arrays.copyOf(prompt, prompt.length + options.maxNewTokens());
        SplittableRandom random = new SplittableRandom(options.seed());

        for (int length = prompt.length; length < tokens.length; length++) {
            int start = Math.max(0, length - maxSeqLen);
            double[] logits = lastLogits(Arrays.copyOfRange(tokens, start, length));
            tokens[length] = Sampling.next(logits, options, random);
        }
        return Arrays.copyOfRange(tokens, prompt.length, tokens.length);
    }

    /**
     * Generates text after a prompt.
     *
     * @return the generated text only, without the prompt
     * @throws IllegalArgumentException when the prompt is empty or the tokenizer cannot encode it
     * @throws IllegalStateException when the model returns bad logits (see {@link #generate})
     */
    public String generate(Tokenizer tokenizer, String prompt, SamplingOptions options) {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("prompt must not be empty");
        }
        return tokenizer.decode(generate(tokenizer.encode(prompt), options));
    }

    /** The logits at the last position of one context, as doubles. */
    private double[] lastLogits(int[] context) {
        INDArray logits = model.logits(List.of(context));
        long[] shape = logits.shape();
        boolean expected = shape.length == 3 && shape[0] == 1 && shape[1] == context.length
                && shape[2] == vocabSize;
        if (!expected) {
            throw new IllegalStateException("expected logits [1, " + context.length + ", "
                    + vocabSize + "] but the model returned " + Arrays.toString(shape));
        }
        return logits.get(NDArrayIndex.point(0), NDArrayIndex.point(context.length - 1),
                NDArrayIndex.all()).toDoubleVector();
    }

    private void checkPrompt(int[] prompt) {
        if (prompt == null || prompt.length == 0) {
            throw new IllegalArgumentException("prompt must hold at least one token");
        }
        for (int i = 0; i < prompt.length; i++) {
            if (prompt[i] < 0 || prompt[i] >= vocabSize) {
                throw new IllegalArgumentException("prompt token " + prompt[i] + " at position "
                        + i + " is outside [0, " + vocabSize + ")");
            }
        }
    }
}
