package dev.gradlens.nn.optim;

import dev.gradlens.nn.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One family of optimizer state tensors (for example Adam's first moments), one per parameter,
 * named {@code prefix + parameter name}.
 */
final class StateTensors {

    private final String prefix;
    private final List<Parameter> parameters;
    private final List<INDArray> tensors;

    /** Zero tensors shaped and typed like each parameter. */
    StateTensors(String prefix, List<Parameter> parameters) {
        this.prefix = prefix;
        this.parameters = List.copyOf(parameters);
        this.tensors = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            INDArray zero = p.value().ulike();
            zero.assign(0);
            tensors.add(zero);
        }
    }

    INDArray get(int index) {
        return tensors.get(index);
    }

    List<INDArray> all() {
        return tensors;
    }

    /** Puts a copy of every tensor into {@code out}. */
    void copyTo(Map<String, INDArray> out) {
        for (int i = 0; i < tensors.size(); i++) {
            out.put(prefix + parameters.get(i).name(), tensors.get(i).dup());
        }
    }

    /**
     * Checks that {@code in} holds a tensor of the right shape for every parameter.
     *
     * @throws IllegalArgumentException naming the first missing or misshapen tensor
     */
    void check(Map<String, INDArray> in) {
        for (int i = 0; i < tensors.size(); i++) {
            String name = prefix + parameters.get(i).name();
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
            tensors.get(i).assign(in.get(prefix + parameters.get(i).name()));
        }
    }
}
