package dev.gradlens.nn.optim;

import dev.gradlens.nn.ParameterBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One family of optimizer state tensors (for example Adam's first moments): one flat array [P]
 * laid out like the {@link ParameterBuffer}, updated with whole-buffer operations, and its
 * per-parameter views, named {@code prefix + parameter name} for checkpoints.
 */
final class StateTensors {

    private final String prefix;
    private final ParameterBuffer buffer;
    private final INDArray flat; // [P]
    private final List<INDArray> tensors; // views of flat, shaped like each parameter

    /** Zeros, typed like the parameters. */
    StateTensors(String prefix, ParameterBuffer buffer) {
        this.prefix = prefix;
        this.buffer = buffer;
        this.flat = buffer.zeros();
        this.tensors = buffer.views(flat);
    }

    /** The whole state [P]. */
    INDArray flat() {
        return flat;
    }

    /** One view per parameter, in parameter order. */
    List<INDArray> all() {
        return tensors;
    }

    /** Puts a copy of every parameter's tensor into {@code out}. */
    void copyTo(Map<String, INDArray> out) {
        for (int i = 0; i < tensors.size(); i++) {
            out.put(nameOf(i), tensors.get(i).dup());
        }
    }

    /**
     * Checks that {@code in} holds a tensor of the right shape for every parameter.
     *
     * @throws IllegalArgumentException naming the first missing or misshapen tensor
     */
    void check(Map<String, INDArray> in) {
        for (int i = 0; i < tensors.size(); i++) {
            String name = nameOf(i);
            INDArray saved = in.get(name);
            if (saved == null) {
                throw new IllegalArgumentException("optimizer state lacks " + name);
            }
            long[] expected = tensors.get(i).shape();
            if (!Arrays.equals(saved.shape(), expected)) {
                throw new IllegalArgumentException(name + ": expected shape "
                        + Arrays.toString(expected) + " but was " + Arrays.toString(saved.shape()));
            }
        }
    }

    /** Copies the tensors of {@code in} into this state; call {@link #check} first. */
    void copyFrom(Map<String, INDArray> in) {
        for (int i = 0; i < tensors.size(); i++) {
            tensors.get(i).assign(in.get(nameOf(i)));
        }
    }

    private String nameOf(int index) {
        return prefix + buffer.parameters().get(index).name();
    }
}
