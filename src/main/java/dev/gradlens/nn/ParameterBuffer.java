package dev.gradlens.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters packed back to back, in parameter order, into one flat value array [P] and one flat
 * gradient array [P] (P = total element count), so that an optimizer updates a whole model with
 * a few whole-buffer operations instead of a few per parameter.
 *
 * <p>Parameter i owns the segment [offset(i), offset(i) + length_i) of both arrays, in C order;
 * its {@link Parameter#value()} and {@link Parameter#grad()} are views of that segment reshaped
 * to its own shape, so writes through either side are seen by the other.
 *
 * <p>Packing rebinds each parameter to its views: arrays taken from {@code value()} or
 * {@code grad()} before packing no longer belong to the parameter. A parameter belongs to one
 * buffer at a time; packing it again (in another list) moves it, and the old buffer then reports
 * {@link #isIntact()} false.
 */
public final class ParameterBuffer {

    private final List<Parameter> parameters;
    private final long[] offsets; // [n + 1]: parameter i is [offsets[i], offsets[i + 1])
    private final DataType dataType;
    private final INDArray values; // [P]
    private final INDArray grads; // [P]

    private ParameterBuffer(List<Parameter> parameters) {
        this.parameters = List.copyOf(parameters);
        this.dataType = commonType(this.parameters);
        this.offsets = offsetsOf(this.parameters);
        this.values = Nd4j.create(dataType, length());
        this.grads = Nd4j.create(dataType, length());
        for (int i = 0; i < this.parameters.size(); i++) {
            Parameter p = this.parameters.get(i);
            INDArray value = segment(values, i);
            INDArray grad = segment(grads, i);
            value.assign(p.value());
            grad.assign(p.grad());
            p.rebind(this, value, grad);
        }
    }

    /**
     * The buffer these parameters are packed into, when they all are, in this order, into one
     * intact buffer; otherwise packs them into a new one, copying their current values and
     * gradients.
     *
     * @throws IllegalArgumentException when the list is empty, holds a parameter twice, or mixes
     *     data types
     */
    public static ParameterBuffer of(List<Parameter> parameters) {
        ParameterBuffer packed = packedOrNull(parameters);
        return packed != null ? packed : new ParameterBuffer(checked(parameters));
    }

    /** The intact buffer holding exactly these parameters in this order, or null. */
    static ParameterBuffer packedOrNull(List<Parameter> parameters) {
        if (parameters.isEmpty()) {
            return null;
        }
        ParameterBuffer buffer = parameters.get(0).buffer();
        boolean same = buffer != null && buffer.parameters.equals(parameters);
        return same && buffer.isIntact() ? buffer : null;
    }

    /** The packed parameters, in order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** P, the number of elements of all parameters together. */
    public long length() {
        return offsets[offsets.length - 1];
    }

    public DataType dataType() {
        return dataType;
    }

    /** Where parameter {@code index} starts in the flat arrays. */
    public long offset(int index) {
        return offsets[index];
    }

    /** All values [P]; parameter i's value is a view of its segment. */
    public INDArray values() {
        return values;
    }

    /** All gradients [P]; parameter i's gradient is a view of its segment. */
    public INDArray grads() {
        return grads;
    }

    /** Zeroes every gradient with one operation. */
    public void zeroGrads() {
        grads.assign(0);
    }

    /** A new zero array [P] of the buffer's type, to hold state laid out like the parameters. */
    public INDArray zeros() {
        return Nd4j.create(dataType, length());
    }

    /**
     * Views of {@code flat} [P], one per parameter, shaped like the parameter: its segment of any
     * array laid out like this buffer (for example optimizer state made by {@link #zeros()}).
     *
     * @throws IllegalArgumentException when flat is not a vector of length P and the buffer's type
     */
    public List<INDArray> views(INDArray flat) {
        if (flat.rank() != 1 || flat.length() != length() || flat.dataType() != dataType) {
            throw new IllegalArgumentException("expected a " + dataType + " vector of length "
                    + length() + ", got " + flat.dataType() + " " + flat.shapeInfoToString());
        }
        List<INDArray> views = new ArrayList<>(parameters.size());
        for (int i = 0; i < parameters.size(); i++) {
            views.add(segment(flat, i));
        }
        return Collections.unmodifiableList(views);
    }

    /** Whether every packed parameter is still bound to this buffer (none was repacked). */
    public boolean isIntact() {
        for (Parameter p : parameters) {
            if (p.buffer() != this) {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks that no parameter was packed into another buffer since: their weights would no
     * longer live in these arrays, so an update of them would be lost.
     *
     * @throws IllegalStateException when the buffer is not {@link #isIntact() intact}
     */
    public void requireIntact() {
        if (!isIntact()) {
            throw new IllegalStateException("some parameters were packed into another buffer "
                    + "since; this one no longer holds their weights");
        }
    }

    /** Segment i of flat [P], reshaped (as a view, no copy) to parameter i's shape. */
    private INDArray segment(INDArray flat, int i) {
        INDArray range = flat.get(NDArrayIndex.interval(offsets[i], offsets[i + 1]));
        return range.reshape('c', parameters.get(i).shape());
    }

    private static List<Parameter> checked(List<Parameter> parameters) {
        if (parameters.isEmpty()) {
            throw new IllegalArgumentException("there are no parameters to pack");
        }
        Map<Parameter, Boolean> seen = new IdentityHashMap<>();
        for (Parameter p : parameters) {
            if (seen.put(p, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("parameter " + p.name() + " is listed twice");
            }
        }
        return parameters;
    }

    private static DataType commonType(List<Parameter> parameters) {
        DataType type = parameters.get(0).value().dataType();
        for (Parameter p : parameters) {
            if (p.value().dataType() != type) {
                throw new IllegalArgumentException("parameter " + p.name() + " is "
                        + p.value().dataType() + " but " + parameters.get(0).name() + " is "
                        + type + "; a buffer holds one data type");
            }
        }
        return type;
    }

    private static long[] offsetsOf(List<Parameter> parameters) {
        long[] offsets = new long[parameters.size() + 1];
        for (int i = 0; i < parameters.size(); i++) {
            offsets[i + 1] = offsets[i] + parameters.get(i).length();
        }
        return offsets;
    }
}
